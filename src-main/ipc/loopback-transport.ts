// Development and end-to-end transport: the same dispatch behind a WebSocket on 127.0.0.1 with a random
// token, so the real renderer build in real Chromium talks to the real services. Never in packaged builds:
// only browser-host.ts imports it.
import type { IncomingMessage, Server } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Dispatch } from './dispatch'
import type { EventHub } from './event-hub'

export interface LoopbackTransport {
  token: string
  close(): Promise<void>
}

export function attachLoopbackTransport(
  server: Server,
  dispatch: Dispatch,
  events: EventHub,
  allowedOrigin: () => string,
): LoopbackTransport {
  const token = randomBytes(24).toString('hex')
  const expected = Buffer.from(token)
  const wss = new WebSocketServer({
    server,
    path: '/ipc',
    maxPayload: 64 * 1024 * 1024,
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => {
      const given = Buffer.from(new URL(req.url ?? '', 'http://x').searchParams.get('token') ?? '')
      return (
        origin === allowedOrigin() && given.length === expected.length && timingSafeEqual(given, expected)
      )
    },
  })
  wss.on('connection', (socket: WebSocket) => {
    const caller = { isTrusted: true, describe: 'loopback client' }
    const unsubscribe = events.subscribe((event, payload) => socket.send(JSON.stringify({ event, payload })))
    socket.on('close', unsubscribe)
    socket.on('message', (data: Buffer) => {
      let message: { id?: unknown; channel?: unknown; payload?: unknown }
      try {
        message = JSON.parse(data.toString('utf8')) as typeof message
      } catch {
        return socket.close(1003, 'malformed message')
      }
      void dispatch(message.channel, message.payload, caller).then((result) =>
        socket.send(JSON.stringify({ id: message.id, result })),
      )
    })
  })
  return { token, close: () => new Promise((resolve) => wss.close(() => resolve())) }
}
