// The guard in front of every service (R10): on 100 % of channels a malformed payload, an unknown channel or
// an untrusted caller is answered with an error envelope and never reaches the handler.
import { describe, expect, it } from 'vitest'
import { channelNames, type ChannelName } from '@shared/ipc/channel-names'
import { createDispatch, type Caller } from '../../../src-main/ipc/dispatch'
import { countingHandlers } from '../../fakes/counting-handlers'
import { validRequests } from '../../factories/valid-requests'

const trusted: Caller = { isTrusted: true, describe: 'test' }
const untrusted: Caller = { isTrusted: false, describe: 'test' }
const quiet = (): void => {}

function setup() {
  const { handlers, calls } = countingHandlers()
  return { dispatch: createDispatch(handlers, quiet), calls }
}

/** Payloads no channel accepts: wrong types, extra keys, prototype tricks. */
function garbageFor(channel: ChannelName): unknown[] {
  const valid: Record<string, unknown> = validRequests[channel]
  const payloads: unknown[] = [
    0,
    42,
    Number.NaN,
    -1,
    '',
    'app.info',
    '{}',
    true,
    false,
    [],
    [valid],
    () => valid,
    Symbol('payload'),
    // An own "__proto__" key, as JSON.parse produces it from a hostile renderer.
    JSON.parse('{"__proto__": {"isAdmin": true}}'),
    JSON.parse(
      `{${JSON.stringify(valid).slice(1, -1)}${Object.keys(valid).length ? ',' : ''}"__proto__": {}}`,
    ),
    JSON.parse('{"constructor": {"prototype": {"isAdmin": true}}}'),
    { ...valid, extra: 1 },
    { ...valid, isTrusted: true },
    Object.assign(Object.create(null) as object, valid, { unexpected: 'key' }),
  ]
  for (const key of Object.keys(valid)) {
    payloads.push({ ...valid, [key]: { nested: true } })
    payloads.push({ ...valid, [key]: [] })
    payloads.push({ ...valid, [key]: 12345n })
  }
  // Null and undefined read as {} (no arguments), which only the argument-less channels accept.
  if (Object.keys(valid).length > 0) payloads.push(null, undefined)
  return payloads
}

describe('dispatch', () => {
  it('has a valid request for exactly the contract channels', () => {
    expect(Object.keys(validRequests).sort()).toEqual([...channelNames].sort())
  })

  it.each(channelNames)(
    '%s: a valid request from a trusted caller reaches its handler once',
    async (channel) => {
      const { dispatch, calls } = setup()
      const result = await dispatch(channel, validRequests[channel], trusted)
      expect(result).toEqual({ ok: true, value: { handled: channel } })
      expect(calls.map((call) => call.channel)).toEqual([channel])
    },
  )

  it.each(channelNames)('%s: every malformed payload is refused before the handler', async (channel) => {
    const { dispatch, calls } = setup()
    const payloads = garbageFor(channel)
    for (const payload of payloads) {
      const result = await dispatch(channel, payload, trusted)
      expect(result.ok, `${channel} accepted ${describePayload(payload)}`).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('invalid-payload')
    }
    expect(payloads.length).toBeGreaterThan(15)
    expect(calls).toEqual([])
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined()
  })

  // zod reads a Date, Map, Set or RegExp as an object with no keys, and reads inherited properties: an Error
  // (structured clone carries one over IPC) passes as {name: 'Error'} and would create a project called
  // "Error". Only plain objects are requests, so dispatch must refuse these before parsing.
  it.each(channelNames)('%s: a non-plain object is refused before the handler', async (channel) => {
    const { dispatch, calls } = setup()
    const valid: Record<string, unknown> = validRequests[channel]
    const odd = [
      new Date(0),
      new Map(Object.entries(valid)),
      new Set([1]),
      /x/,
      new Error('x'),
      new TypeError('y'),
    ]
    for (const payload of odd) {
      const result = await dispatch(channel, payload, trusted)
      expect(result, `${channel} accepted a ${Object.prototype.toString.call(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid-payload' },
      })
    }
    expect(calls).toEqual([])
  })

  it.each(channelNames)(
    '%s: an untrusted caller is refused before the payload is even read',
    async (channel) => {
      const { dispatch, calls } = setup()
      const result = await dispatch(channel, validRequests[channel], untrusted)
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      expect(calls).toEqual([])
    },
  )

  it('refuses channel names outside the contract, including prototype keys and near misses', async () => {
    const { dispatch, calls } = setup()
    const names: unknown[] = [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '',
      ' app.info',
      'app.info ',
      'APP.INFO',
      'app.info\u0000',
      'app',
      'app.info.extra',
      'projects.*',
      'winnow:invoke',
      'log.appended',
      42,
      null,
      undefined,
      {},
      ['app.info'],
      { toString: () => 'app.info' },
      new String('app.info'),
    ]
    for (const name of names) {
      const result = await dispatch(name, {}, trusted)
      expect(result, String(describePayload(name))).toMatchObject({
        ok: false,
        error: { code: 'unknown-channel' },
      })
    }
    expect(calls).toEqual([])
  })

  it('answers a thrown service error with an envelope instead of throwing', async () => {
    const { handlers } = countingHandlers()
    handlers['app.info'] = () => Promise.reject(new Error('boom'))
    const dispatch = createDispatch(handlers, quiet)
    const originalError = console.error
    console.error = quiet
    try {
      await expect(dispatch('app.info', {}, trusted)).resolves.toMatchObject({
        ok: false,
        error: { code: 'internal' },
      })
    } finally {
      console.error = originalError
    }
  })
})

function describePayload(payload: unknown): string {
  try {
    return typeof payload === 'bigint' || typeof payload === 'symbol'
      ? String(payload)
      : JSON.stringify(payload)
  } catch {
    return String(payload)
  }
}
