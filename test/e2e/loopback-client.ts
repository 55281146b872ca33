// A Node client for the loopback transport, for tests and benchmarks that drive main's services without a
// browser: calls answer the envelope's value, and events can be awaited by predicate.
import { once } from 'node:events'
import WebSocket from 'ws'
import type { ChannelName, EventName } from '@shared/ipc/channel-names'
import type { Reply, Request } from '@shared/ipc/contract'
import type { Host } from './harness'

interface Message {
  id?: string
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } }
  event?: EventName
  payload?: unknown
}

export class LoopbackClient {
  readonly #socket: WebSocket
  readonly #pending = new Map<string, (message: Message) => void>()
  readonly #watchers = new Set<(message: Message) => void>()
  #next = 0

  private constructor(socket: WebSocket) {
    this.#socket = socket
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Message
      if (message.id !== undefined) this.#pending.get(message.id)?.(message)
      else for (const watcher of this.#watchers) watcher(message)
    })
  }

  static async connect(host: Host): Promise<LoopbackClient> {
    const token = new URL(host.url).hash.replace('#token=', '')
    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc?token=${token}`, {
      origin: host.origin,
    })
    await once(socket, 'open')
    return new LoopbackClient(socket)
  }

  async call<C extends ChannelName>(channel: C, payload: Request<C>): Promise<Reply<C>> {
    const id = String(++this.#next)
    const reply = new Promise<Message>((resolve) => this.#pending.set(id, resolve))
    this.#socket.send(JSON.stringify({ id, channel, payload }))
    const message = await reply
    this.#pending.delete(id)
    if (!message.result?.ok) throw new Error(`${channel}: ${JSON.stringify(message.result?.error)}`)
    return message.result.value as Reply<C>
  }

  /** Resolves with the first event of that name whose payload passes the test. */
  waitFor<T>(event: EventName, test: (payload: T) => boolean, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)),
        timeoutMs,
      )
      const watcher = (message: Message): void => {
        if (message.event !== event || !test(message.payload as T)) return
        clearTimeout(timer)
        this.#watchers.delete(watcher)
        resolve(message.payload as T)
      }
      this.#watchers.add(watcher)
    })
  }

  close(): void {
    this.#socket.close()
  }
}
