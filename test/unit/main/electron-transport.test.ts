// The Electron transport (R10): a call from anything but the app origin's main frame, or with a malformed
// payload, never reaches a handler; a trusted, valid call does; events reach only windows of our origin.
import { describe, expect, it } from 'vitest'
import { channelNames } from '@shared/ipc/channel-names'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '@shared/ipc/window-api'
import type { Result } from '@shared/ipc/result'
import { createDispatch } from '../../../src-main/ipc/dispatch'
import { EventHub } from '../../../src-main/ipc/event-hub'
import {
  attachElectronTransport,
  type EventTarget,
  type InvokeEvent,
  type IpcMainLike,
  type SenderFrame,
} from '../../../src-main/ipc/electron-transport'
import { countingHandlers } from '../../fakes/counting-handlers'
import { validRequests } from '../../factories/valid-requests'

type Listener = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>

function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler(channel) {
      handlers.delete(channel)
    },
  }
  return { ipcMain, handlers }
}

function fakeWindow(url: string, { isDestroyed = false } = {}) {
  const sent: unknown[][] = []
  const target: EventTarget = {
    send: (...args) => sent.push(args),
    isDestroyed: () => isDestroyed,
    getURL: () => url,
  }
  return { target, sent }
}

const mainFrame = (url: string): SenderFrame => ({ url, parent: null })
const subframe = (url: string): SenderFrame => ({ url, parent: mainFrame('app://winnow/index.html') })
const appFrame = mainFrame('app://winnow/index.html')

function setup(options: { devOrigin?: string | null; windows?: EventTarget[] } = {}) {
  const { handlers, calls } = countingHandlers()
  const { ipcMain, handlers: registered } = fakeIpcMain()
  const events = new EventHub()
  const detach = attachElectronTransport(
    ipcMain,
    createDispatch(handlers, () => {}),
    events,
    () => options.windows ?? [],
    { devOrigin: options.devOrigin ?? null },
  )
  const invoke = async (
    frame: SenderFrame | null,
    channel: unknown,
    payload: unknown,
  ): Promise<Result<unknown>> => {
    const listener = registered.get(INVOKE_CHANNEL)
    if (!listener) throw new Error('transport is not attached')
    return (await listener({ senderFrame: frame }, channel, payload)) as Result<unknown>
  }
  return { invoke, calls, events, detach, registered }
}

describe('attachElectronTransport: calls', () => {
  it('registers exactly one ipcMain handler, on winnow:invoke', () => {
    const { registered } = setup()
    expect([...registered.keys()]).toStrictEqual(['winnow:invoke'])
  })

  it.each(channelNames)(
    '%s: a trusted main frame with a valid payload reaches the handler',
    async (channel) => {
      const { invoke, calls } = setup()
      const result = await invoke(appFrame, channel, validRequests[channel])
      expect(result).toStrictEqual({ ok: true, value: { handled: channel } })
      expect(calls).toHaveLength(1)
    },
  )

  const untrustedFrames: [string, SenderFrame | null][] = [
    ['another origin', mainFrame('https://evil.example/')],
    ['a subframe of the app origin', subframe('app://winnow/index.html')],
    ['a subframe of another origin', subframe('https://evil.example/')],
    ['file://', mainFrame('file:///app/out/renderer/index.html')],
    ['another app:// host', mainFrame('app://evil/index.html')],
    ['app:// with credentials', mainFrame('app://user@winnow/index.html')],
    ['the dev server without devOrigin', mainFrame('http://localhost:5173/')],
    ['about:blank', mainFrame('about:blank')],
    ['a frame that is gone', null],
  ]

  it.each(untrustedFrames)(
    '%s: refused as forbidden on every channel, no handler runs',
    async (_name, frame) => {
      const { invoke, calls } = setup()
      for (const channel of channelNames) {
        const result = await invoke(frame, channel, validRequests[channel])
        expect(result, channel).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      }
      expect(calls).toHaveLength(0)
    },
  )

  it.each(channelNames)(
    '%s: a malformed payload from the trusted frame never reaches the handler',
    async (channel) => {
      const { invoke, calls } = setup()
      const valid: Record<string, unknown> = validRequests[channel]
      for (const payload of [
        42,
        'text',
        [],
        { ...valid, extra: true },
        JSON.parse('{"__proto__": {"x": 1}}'),
      ]) {
        const result = await invoke(appFrame, channel, payload)
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
      }
      expect(calls).toHaveLength(0)
    },
  )

  it('refuses unknown channels from the trusted frame', async () => {
    const { invoke, calls } = setup()
    for (const channel of ['__proto__', 'constructor', 'shell.openExternal', 'winnow:invoke', 7, null]) {
      expect(await invoke(appFrame, channel, {})).toMatchObject({
        ok: false,
        error: { code: 'unknown-channel' },
      })
    }
    expect(calls).toHaveLength(0)
  })

  it('trusts the dev server main frame only when its origin is given', async () => {
    const dev = setup({ devOrigin: 'http://localhost:5173' })
    expect(await dev.invoke(mainFrame('http://localhost:5173/'), 'app.info', {})).toMatchObject({ ok: true })
    expect(await dev.invoke(subframe('http://localhost:5173/'), 'app.info', {})).toMatchObject({ ok: false })
    expect(await dev.invoke(mainFrame('http://localhost:5174/'), 'app.info', {})).toMatchObject({ ok: false })
    expect(dev.calls).toHaveLength(1)
  })

  it('detaching removes the ipcMain handler', () => {
    const { detach, registered } = setup()
    detach()
    expect(registered.size).toBe(0)
  })
})

describe('attachElectronTransport: events', () => {
  it('sends each event as (winnow:event, name, payload) to every live window of the app origin only', () => {
    const first = fakeWindow('app://winnow/index.html')
    const second = fakeWindow('app://winnow/index.html#/review')
    const destroyed = fakeWindow('app://winnow/index.html', { isDestroyed: true })
    const foreign = fakeWindow('https://evil.example/')
    const blank = fakeWindow('')
    const { events } = setup({ windows: [first, second, destroyed, foreign, blank].map((w) => w.target) })
    events.emit('projects.changed', {})
    expect(first.sent).toStrictEqual([[EVENT_CHANNEL, 'projects.changed', {}]])
    expect(second.sent).toStrictEqual([[EVENT_CHANNEL, 'projects.changed', {}]])
    expect([destroyed.sent, foreign.sent, blank.sent]).toStrictEqual([[], [], []])
  })

  it('asks for the windows at each event, so a window opened later hears it', () => {
    const windows: EventTarget[] = []
    const { events } = setup({ windows })
    const late = fakeWindow('app://winnow/index.html')
    windows.push(late.target)
    events.emit('projects.changed', {})
    expect(late.sent).toHaveLength(1)
  })

  it('stops forwarding once detached', () => {
    const window = fakeWindow('app://winnow/index.html')
    const { events, detach } = setup({ windows: [window.target] })
    detach()
    events.emit('projects.changed', {})
    expect(window.sent).toStrictEqual([])
  })
})
