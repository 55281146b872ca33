// The renderer's only door to main and the sole reader of window.api: typed calls that answer the value or
// throw ApiError, and typed events. Without window.api (development, end-to-end tests in plain Chromium) it
// uses the loopback WebSocket that browser-host.ts serves on the page's own origin.
import type { Api, EventPayload, Reply } from '@shared/ipc/contract'
import { channelNames, type ChannelName, type EventName } from '@shared/ipc/channel-names'
import { fail, type ErrorCode, type Result } from '@shared/ipc/result'
import type { WindowApi } from '@shared/ipc/window-api'
import { connection, type ConnectionState } from '../state/connection.svelte'

export { connection }

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** One function per direction, the same for both transports, so end-to-end tests exercise what ships. */
export interface Transport {
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>
  on(event: EventName, listener: (payload: unknown) => void): () => void
  /** After a dropped connection comes back: events sent meanwhile were lost, so observers re-read. */
  onReconnect(listener: () => void): () => void
}

export type OnEvent = <E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
) => () => void

export const lostConnectionMessage =
  "Lost the connection to Winnow's background service, and it did not come back within 10 seconds. " +
  'Check that Winnow is still running, then try again.'
const droppedMessage =
  "Lost the connection to Winnow's background service before it answered, so this may or may not have " +
  'been done. Check, then try again.'

export function electronTransport(windowApi: WindowApi, state: ConnectionState = connection): Transport {
  state.markConnected('electron')
  return {
    // The preload promises never to reject; should Electron's IPC itself fail, still answer an envelope.
    invoke: (channel, payload) =>
      windowApi
        .invoke(channel, payload)
        .catch((error: unknown) =>
          fail(
            'internal',
            `Winnow's background service did not answer: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
    on: (event, listener) => windowApi.on(event, (_name, payload) => listener(payload)),
    onReconnect: () => () => undefined, // Electron IPC does not drop
  }
}

/** What the loopback transport needs of a socket; the default wraps the browser's WebSocket. */
export interface SocketHandlers {
  open(): void
  message(data: string): void
  close(): void
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => { send(data: string): void }

const browserSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url)
  socket.onopen = () => handlers.open()
  socket.onmessage = (event) => handlers.message(String(event.data))
  socket.onclose = () => handlers.close()
  return { send: (data) => socket.send(data) }
}

export interface LoopbackOptions {
  url: string
  socket?: SocketFactory
  /** How long a call waits for a (re)connection before failing with 'unavailable'. */
  waitMs?: number
  backoffMs?: (attempt: number) => number
  state?: ConnectionState
}

export function loopbackTransport(options: LoopbackOptions): Transport {
  const { url, socket: open = browserSocket, waitMs = 10_000, state = connection } = options
  const backoffMs = options.backoffMs ?? ((attempt: number) => Math.min(2_000, 100 * 2 ** attempt))
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const waiters = new Set<() => void>()
  const reconnectListeners = new Set<() => void>()
  let hasBeenOpen = false
  let current: { send(data: string): void } | null = null
  let isOpen = false
  let attempt = 0
  let nextId = 0

  const connect = (): void => {
    state.markConnecting('loopback')
    current = open(url, {
      open() {
        isOpen = true
        attempt = 0
        state.markConnected('loopback')
        for (const wake of waiters) wake()
        if (hasBeenOpen) for (const listener of reconnectListeners) listener()
        hasBeenOpen = true
      },
      message(data) {
        const message = parse(data)
        if (typeof message?.id === 'number') {
          const settle = pending.get(message.id)
          pending.delete(message.id)
          settle?.(asResult(message.result))
        } else if (typeof message?.event === 'string') {
          for (const listener of listeners.get(message.event) ?? []) listener(message.payload)
        }
      },
      close() {
        isOpen = false
        // Unanswered calls may or may not have run in main; say so rather than retry behind the caller's back.
        for (const settle of pending.values()) settle(fail('unavailable', droppedMessage))
        pending.clear()
        state.markDisconnected()
        setTimeout(connect, backoffMs(attempt++))
      },
    })
  }
  const whenOpen = (): Promise<boolean> =>
    new Promise((resolve) => {
      if (isOpen) return resolve(true)
      const wake = (): void => finish(true)
      const timer = setTimeout(() => finish(false), waitMs)
      const finish = (isConnected: boolean): void => {
        clearTimeout(timer)
        waiters.delete(wake)
        resolve(isConnected)
      }
      waiters.add(wake)
    })
  const start = (): void => {
    if (current === null) connect()
  }

  return {
    async invoke(channel, payload) {
      start()
      if (!(await whenOpen()) || current === null) return fail('unavailable', lostConnectionMessage)
      const id = ++nextId
      const socket = current
      return new Promise((resolve) => {
        pending.set(id, resolve)
        try {
          socket.send(JSON.stringify({ id, channel, payload }))
        } catch {
          pending.delete(id)
          resolve(fail('unavailable', lostConnectionMessage))
        }
      })
    },
    on(event, listener) {
      start()
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set.add(listener))
      return () => set.delete(listener)
    },
    onReconnect(listener) {
      reconnectListeners.add(listener)
      return () => reconnectListeners.delete(listener)
    },
  }
}

function parse(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function asResult(value: unknown): Result<unknown> {
  const isEnvelope = typeof value === 'object' && value !== null && 'ok' in value
  return isEnvelope
    ? (value as Result<unknown>)
    : fail('internal', "Winnow's background service sent a malformed reply.")
}

/** `#token=…` in the page address, put there by the browser host. */
export function loopbackUrl(location: Pick<Location, 'host' | 'hash'>): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')
  return token ? `ws://${location.host}/ipc?token=${encodeURIComponent(token)}` : null
}

const missingTokenTransport: Transport = {
  invoke: () =>
    Promise.resolve(
      fail(
        'unavailable',
        'This page was opened without its access token. Open the address Winnow printed when it started.',
      ),
    ),
  on: () => () => undefined,
  onReconnect: () => () => undefined,
}

function defaultTransport(): Transport {
  const windowApi: unknown = Reflect.get(globalThis, 'api')
  if (typeof windowApi === 'object' && windowApi !== null) return electronTransport(windowApi as WindowApi)
  const url = loopbackUrl(globalThis.location)
  return url === null ? missingTokenTransport : loopbackTransport({ url })
}

export interface ApiClient {
  api: Api
  onEvent: OnEvent
  onReconnect: (listener: () => void) => () => void
}

/** Builds the typed api over a transport; the transport is created on first use, so importing is free. */
export function createApi(makeTransport: () => Transport): ApiClient {
  let transport: Transport | null = null
  const current = (): Transport => (transport ??= makeTransport())
  const call = async <C extends ChannelName>(channel: C, request: unknown): Promise<Reply<C>> => {
    const result = await current().invoke(channel, request)
    if (!result.ok) throw new ApiError(result.error.code, result.error.message)
    // Main parsed the request and built the reply from the contract's types.
    return result.value as Reply<C>
  }
  const api = Object.fromEntries(
    channelNames.map((channel) => [channel, (request: unknown) => call(channel, request)]),
  )
  return {
    api: api as Api,
    // Main checks every event against eventContract before sending it (EventHub.emit).
    onEvent: (name, listener) =>
      current().on(name, (payload) => listener(payload as EventPayload<typeof name>)),
    onReconnect: (listener) => current().onReconnect(listener),
  }
}

const client = createApi(defaultTransport)

export const api: Api = client.api
export const onEvent: OnEvent = client.onEvent
export const onReconnect = client.onReconnect
