// The fetch under a streamed generate call: node:http with keep-alive, where the rest of the engine uses the
// platform's fetch (undici). A candidate is one request and, at one NDJSON line per token, dozens of body
// reads; undici's fetch spends per request on Request/Response objects and WHATWG stream plumbing, and per
// chunk on a pull through its body stream — the largest share of the generation thread's time per candidate
// after ollama-js's own parse (docs/benchmarks.md). Here a response is the few members the guard and
// ollama-js read (ok, status, headers.get, body.getReader, text, json) over Node's IncomingMessage.
// Errors keep Node's codes (ECONNREFUSED, ECONNRESET…), which failures.ts maps as it maps undici's causes.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

type ReadResult = { done: false; value: Uint8Array } | { done: true; value: undefined }

const END: ReadResult = { done: true, value: undefined }
/**
 * Bytes held before the socket is paused. ollama-js reads as fast as it parses, so this is reached only by
 * a stalled reader; until then the whole answer flows, and the socket goes back to the pool at its end
 * even though ollama-js stops reading at the final line.
 */
const HIGH_WATER_BYTES = 4 * 1024 * 1024

// One pool per thread, like undici's global dispatcher; the engine's per-host limiter bounds its use.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
}

/** The response body as the reader ollama-js and the guard pull from. */
class MessageReader {
  private readonly chunks: Buffer[] = []
  private bufferedBytes = 0
  private isEnded = false
  private failure: Error | null = null
  private waiting: { resolve: (r: ReadResult) => void; reject: (e: Error) => void } | null = null

  constructor(private readonly message: IncomingMessage) {
    message.on('data', (chunk: Buffer) => {
      const waiting = this.waiting
      if (waiting) {
        this.waiting = null
        waiting.resolve({ done: false, value: chunk })
        return
      }
      this.chunks.push(chunk)
      this.bufferedBytes += chunk.length
      if (this.bufferedBytes >= HIGH_WATER_BYTES) message.pause()
    })
    message.on('end', () => {
      this.isEnded = true
      this.wake()
    })
    message.on('error', (e) => this.fail(e))
    // A connection lost mid-body ends the message without 'end' (and, on some paths, without 'error').
    message.on('close', () => {
      if (!this.isEnded)
        this.fail(Object.assign(new Error('the connection closed mid-body'), { code: 'ECONNRESET' }))
    })
  }

  getReader(): this {
    return this
  }

  releaseLock(): void {}

  read(): Promise<ReadResult> {
    if (this.chunks.length > 0) {
      // Everything that arrived meanwhile, as one piece: every read costs the guard's checker and
      // ollama-js's parser a pass of their own, and at one token per socket read most pieces are tiny.
      const value = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
      this.chunks.length = 0
      this.bufferedBytes = 0
      if (this.message.isPaused()) this.message.resume()
      return Promise.resolve({ done: false, value })
    }
    if (this.failure !== null) return Promise.reject(this.failure)
    if (this.isEnded) return Promise.resolve(END)
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  cancel(): Promise<void> {
    this.isEnded = true
    this.message.destroy()
    this.wake()
    return Promise.resolve()
  }

  /** The request's signal fired: a pending read fails with its reason, as undici's body stream does. */
  abort(reason: unknown): void {
    this.fail(asError(reason))
    this.message.destroy()
  }

  private fail(e: Error): void {
    if (this.isEnded || this.failure !== null) return
    this.failure = e
    const waiting = this.waiting
    this.waiting = null
    waiting?.reject(e)
  }

  private wake(): void {
    const waiting = this.waiting
    this.waiting = null
    waiting?.resolve(END)
  }
}

/** What the guard and ollama-js read of a response. */
class MessageResponse {
  readonly ok: boolean
  readonly status: number
  readonly statusText: string
  readonly headers: { get(name: string): string | null }
  body: MessageReader

  constructor(message: IncomingMessage) {
    this.status = message.statusCode ?? 0
    this.ok = this.status >= 200 && this.status < 300
    this.statusText = message.statusMessage ?? ''
    const raw = message.headers
    this.headers = {
      get: (name) => {
        const value = raw[name.toLowerCase()]
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
      },
    }
    this.body = new MessageReader(message)
  }

  async text(): Promise<string> {
    const parts: Uint8Array[] = []
    for (let r = await this.body.read(); !r.done; r = await this.body.read()) parts.push(r.value)
    return Buffer.concat(parts).toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
}

/** An abort's reason as thrown: the guard aborts with its GenerationError, a caller perhaps with anything. */
function asError(reason: unknown): Error {
  if (reason instanceof Error) return reason
  return new Error(typeof reason === 'string' ? reason : 'aborted')
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  if (init === undefined) return {}
  if (init instanceof Headers) return Object.fromEntries(init.entries())
  if (Array.isArray(init)) return Object.fromEntries(init as [string, string][])
  return { ...(init as Record<string, string>) }
}

/** fetch over node:http(s) for the engine's streamed calls: string bodies only (ollama-js sends JSON text). */
export const httpFetch = ((input: string | URL | Request, init?: RequestInit): Promise<MessageResponse> => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
  const signal = init?.signal ?? undefined
  if (signal?.aborted) return Promise.reject(asError(signal.reason))
  const body = init?.body
  if (body !== undefined && body !== null && typeof body !== 'string')
    return Promise.reject(new TypeError('httpFetch sends string bodies only'))
  const isHttps = url.protocol === 'https:'
  if (!isHttps && url.protocol !== 'http:')
    return Promise.reject(new TypeError(`httpFetch cannot fetch ${url.protocol} URLs`))
  const headers = headersOf(init?.headers)
  if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body))
  return new Promise((resolve, reject) => {
    const request = (isHttps ? httpsRequest : httpRequest)(url, {
      method: init?.method ?? 'GET',
      headers,
      agent: agents[isHttps ? 'https:' : 'http:'],
    })
    const onAbort = (): void => {
      request.destroy(asError(signal?.reason))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    request.once('response', (message) => {
      // From here on an abort fails the body's pending read, as with undici's body stream. The reader is
      // kept apart: the guard puts its own checking reader in `body`, reading from this one.
      signal?.removeEventListener('abort', onAbort)
      const response = new MessageResponse(message)
      const reader = response.body
      signal?.addEventListener('abort', () => reader.abort(signal.reason), { once: true })
      resolve(response)
    })
    // `on`, not `once`: an error the request emits after the answer came (the body's own errors reach the
    // reader) must find a listener, or it would be thrown as uncaught.
    request.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort)
      reject(signal?.aborted ? asError(signal.reason) : e)
    })
    request.end(body ?? undefined)
  })
}) as unknown as typeof fetch
