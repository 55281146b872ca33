// The renderer's api over the loopback WebSocket (the transport end-to-end tests use): replies unwrap or
// throw ApiError, events reach their listeners, and a lost connection is retried, then reported in words.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { AddressInfo } from 'node:net'
import { fail, ok } from '@shared/ipc/result'
import type { WindowApi } from '@shared/ipc/window-api'
import {
  ApiError,
  createApi,
  electronTransport,
  loopbackTransport,
  loopbackUrl,
  type SocketFactory,
} from '../../../src-renderer/lib/api'
import { ConnectionState } from '../../../src-renderer/state/connection.svelte'

const nodeSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url)
  socket.onopen = () => handlers.open()
  socket.onmessage = (event) => handlers.message(typeof event.data === 'string' ? event.data : '')
  socket.onclose = () => handlers.close()
  socket.onerror = () => undefined // a refused connection also closes; that is where it is handled
  return { send: (data) => socket.send(data) }
}

interface FakeMain {
  port: number
  server: WebSocketServer
  broadcast(event: string, payload: unknown): void
  close(): Promise<void>
}

/** A stand-in for main's loopback transport: same message shapes, canned answers. */
async function startFakeMain(port = 0): Promise<FakeMain> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : ''
      const { id, channel } = JSON.parse(text) as { id: number; channel: string }
      if (channel === 'jobs.cancel') return socket.terminate() // dies before answering
      const result =
        channel === 'projects.list' ? ok([]) : fail('not-found', 'That project no longer exists.')
      socket.send(JSON.stringify({ id, result }))
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    server,
    broadcast: (event, payload) => {
      for (const client of server.clients) client.send(JSON.stringify({ event, payload }))
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate()
        server.close(() => resolve())
      }),
  }
}

const running: FakeMain[] = []
afterEach(async () => {
  for (const main of running.splice(0)) await main.close()
})

function client(port: number, waitMs = 10_000) {
  const state = new ConnectionState()
  const transport = loopbackTransport({
    url: `ws://127.0.0.1:${port}/`,
    socket: nodeSocket,
    waitMs,
    backoffMs: () => 20,
    state,
  })
  return { state, ...createApi(() => transport) }
}

describe('the api over the loopback transport', () => {
  it('answers the value of an ok envelope and throws ApiError for an error envelope', async () => {
    const main = await startFakeMain()
    running.push(main)
    const { api, state } = client(main.port)
    await expect(api['projects.list']({})).resolves.toEqual([])
    expect(state.status).toBe('connected')
    const error = await api['projects.open']({ projectId: crypto.randomUUID() }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'not-found', message: 'That project no longer exists.' })
  })

  it('delivers events to the listeners of that event until they unsubscribe', async () => {
    const main = await startFakeMain()
    running.push(main)
    const { api, onEvent } = client(main.port)
    const appended: unknown[] = []
    const unsubscribe = onEvent('log.appended', (payload) => appended.push(payload))
    onEvent('jobs.changed', () => appended.push('wrong listener'))
    await api['projects.list']({})
    const payload = { projectId: 'p', head: { logId: 'l', lastSeq: 1, eventCount: 1, sampleCount: 0 } }
    main.broadcast('log.appended', payload)
    await vi.waitFor(() => expect(appended).toEqual([payload]))
    unsubscribe()
    main.broadcast('log.appended', payload)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(appended).toHaveLength(1)
  })

  it('fails a call cut off mid-flight, reconnects, and tells observers it is back', async () => {
    const main = await startFakeMain()
    running.push(main)
    const { api, state, onReconnect } = client(main.port)
    let reconnections = 0
    onReconnect(() => reconnections++)
    await api['projects.list']({})
    const cut = await api['jobs.cancel']({ jobId: 'j' }).catch((caught: unknown) => caught)
    expect(cut).toMatchObject({ code: 'unavailable' })
    expect((cut as ApiError).message).toMatch(/may or may not have been done/)
    await expect(api['projects.list']({})).resolves.toEqual([])
    expect(state.status).toBe('connected')
    expect(reconnections).toBe(1)
  })

  it('waits for main to come back, then carries on', async () => {
    const main = await startFakeMain()
    const { api, state } = client(main.port)
    await api['projects.list']({})
    await main.close()
    await vi.waitFor(() => expect(state.status).not.toBe('connected'))
    const call = api['projects.list']({})
    const restarted = await startFakeMain(main.port)
    running.push(restarted)
    await expect(call).resolves.toEqual([])
  })

  it('gives up after the wait with a message a person understands', async () => {
    const main = await startFakeMain()
    const port = main.port
    await main.close()
    const { api, state } = client(port, 300)
    const started = Date.now()
    const error = await api['projects.list']({}).catch((caught: unknown) => caught)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'unavailable' })
    expect((error as ApiError).message).toMatch(/^Lost the connection to Winnow's background service/)
    expect(state.status).not.toBe('connected')
  })
})

describe('transport selection and addresses', () => {
  it('builds the loopback address from the token in the page address', () => {
    expect(loopbackUrl({ host: '127.0.0.1:4173', hash: '#token=ab%2Fc' })).toBe(
      'ws://127.0.0.1:4173/ipc?token=ab%2Fc',
    )
    expect(loopbackUrl({ host: '127.0.0.1:4173', hash: '' })).toBeNull()
  })

  it('passes calls and events through window.api unchanged', async () => {
    let emit: ((name: 'jobs.changed', payload: unknown) => void) | null = null
    const windowApi: WindowApi = {
      invoke: (channel) => Promise.resolve(channel === 'projects.list' ? ok([]) : fail('forbidden', 'No.')),
      on: (_event, listener) => {
        emit = listener
        return () => undefined
      },
    }
    const state = new ConnectionState()
    const { api, onEvent } = createApi(() => electronTransport(windowApi, state))
    await expect(api['projects.list']({})).resolves.toEqual([])
    await expect(api['jobs.cancel']({ jobId: 'j' })).rejects.toMatchObject({ code: 'forbidden' })
    expect(state.status).toBe('connected')
    const seen: unknown[] = []
    onEvent('jobs.changed', (job) => seen.push(job))
    emit!('jobs.changed', { id: 'job' })
    expect(seen).toEqual([{ id: 'job' }])
  })
})
