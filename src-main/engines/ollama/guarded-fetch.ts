// The fetch handed to ollama-js: deadlines (headers, first chunk, idle), content-type and size checks,
// and strict NDJSON (every line validated and re-emitted, so the client can never drop one silently).
// Every failure surfaces as a GenerationError, thrown from fetch or raised through the body stream.
import { GenerationError } from '../engine'
import { failure, fromNetworkError, fromStatus } from './failures'
import { LineSplitter, LineTooLongError } from './line-splitter'

export interface Deadlines {
  /** From sending the request until response headers arrive. */
  headersMs: number
  /** From headers until the first body chunk. */
  firstChunkMs: number
  /** Between two body chunks. */
  idleMs: number
}

export const DEFAULT_DEADLINES: Deadlines = { headersMs: 30_000, firstChunkMs: 120_000, idleMs: 60_000 }

export interface GuardOptions {
  /** The caller's cancellation; ends the request (and any body read) as 'aborted'. */
  signal?: AbortSignal
  deadlines?: Partial<Deadlines>
  /** A single NDJSON line (or a whole JSON body) longer than this fails as 'too-large'. */
  maxLineBytes?: number
  maxTotalBytes?: number
  /** 'ndjson' for streamed calls, 'json' for plain ones, 'auto' to follow the content type. */
  expect?: 'ndjson' | 'json' | 'auto'
}

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

const MiB = 1024 * 1024
const newline = new Uint8Array([0x0a])

export function guardedFetch(base: typeof fetch, options: GuardOptions = {}): typeof fetch {
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines }
  const limits = { line: options.maxLineBytes ?? 8 * MiB, total: options.maxTotalBytes ?? 256 * MiB }
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call = new GuardedCall(options.signal, init?.signal ?? undefined)
    try {
      call.arm(deadlines.headersMs, 'no response headers')
      let response: Response
      try {
        response = await base(input, { ...init, signal: call.signal })
      } catch (e) {
        throw call.reason ?? fromNetworkError(e, false)
      }
      call.disarm()
      if (!response.ok)
        throw fromStatus(response.status, await call.readBounded(response, deadlines, 64 * 1024))
      const type = (response.headers.get('content-type') ?? '').toLowerCase()
      const ndjson = type.includes('application/x-ndjson')
      const json = type.includes('application/json')
      const expect = options.expect ?? 'auto'
      if (!(ndjson || json) || (expect === 'ndjson' && !ndjson) || (expect === 'json' && !json)) {
        await response.body?.cancel().catch(() => undefined)
        throw failure(
          'content-type',
          `expected ${expect === 'auto' ? 'NDJSON or JSON' : expect}, got "${type}"`,
          false,
        )
      }
      const body = ndjson
        ? call.ndjsonBody(response, deadlines, limits)
        : call.jsonBody(response, deadlines, limits)
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    } catch (e) {
      call.finish()
      throw e instanceof GenerationError ? e : fromNetworkError(e, false)
    }
  }
  return guarded
}

/** The state of one request: its abort controller, the first failure, and the running timer. */
class GuardedCall {
  reason: GenerationError | null = null
  private readonly controller = new AbortController()
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly cleanups: (() => void)[] = []

  constructor(...signals: (AbortSignal | undefined)[]) {
    for (const s of signals) {
      if (!s) continue
      const onAbort = (): void => this.fail(failure('aborted', 'cancelled by the caller', true))
      if (s.aborted) onAbort()
      else {
        s.addEventListener('abort', onAbort, { once: true })
        this.cleanups.push(() => s.removeEventListener('abort', onAbort))
      }
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  fail(e: GenerationError): void {
    if (this.reason) return
    // Aborts are never retryable, whatever stage they hit.
    this.reason = e.kind === 'aborted' ? new GenerationError('aborted', e.message, false) : e
    this.disarm()
    this.controller.abort(this.reason)
  }

  arm(ms: number, what: string, started = false): void {
    this.disarm()
    this.timer = setTimeout(() => this.fail(failure('timeout', `${what} within ${ms} ms`, started)), ms)
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  finish(): void {
    this.disarm()
    for (const c of this.cleanups.splice(0)) c()
  }

  /** Reads one chunk under a deadline; every failure becomes this call's GenerationError. */
  async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    ms: number,
    what: string,
    started: boolean,
  ): Promise<ReadResult> {
    if (this.reason) throw this.reason
    this.arm(ms, what, started)
    try {
      return await reader.read()
    } catch (e) {
      throw this.reason ?? fromNetworkError(e, started)
    } finally {
      this.disarm()
    }
  }

  async readBounded(response: Response, d: Deadlines, cap: number): Promise<string> {
    if (!response.body) return ''
    const reader = response.body.getReader()
    const parts: Uint8Array[] = []
    let size = 0
    try {
      for (let first = true; size < cap; first = false) {
        const r = await this.read(reader, first ? d.firstChunkMs : d.idleMs, 'no error body', false)
        if (r.done) break
        parts.push(r.value)
        size += r.value.length
      }
    } catch {
      // The status alone is enough to classify; a broken error body must not hide it.
    } finally {
      reader.cancel().catch(() => undefined)
    }
    return Buffer.concat(parts).toString('utf8').slice(0, cap)
  }

  ndjsonBody(
    response: Response,
    d: Deadlines,
    limits: { line: number; total: number },
  ): ReadableStream<Uint8Array> {
    const source = response.body?.getReader()
    const splitter = new LineSplitter(limits.line)
    const decoder = new TextDecoder('utf-8', { fatal: true })
    let total = 0
    let lines = 0
    let sawDone = false
    let deferred: Error | null = null
    const check = (bytes: Uint8Array): Uint8Array | null => {
      const started = lines > 0
      let text: string
      try {
        text = decoder.decode(bytes).replace(/\r$/, '')
      } catch {
        throw failure('malformed', `line ${lines + 1} is not valid UTF-8`, started)
      }
      if (text.trim() === '') return null
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        throw failure('malformed', `line ${lines + 1} is not JSON: ${text.slice(0, 120)}`, started)
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw failure('malformed', `line ${lines + 1} is not a JSON object`, started)
      if ('error' in value)
        throw failure('model-error', `server error mid-stream: ${String(value.error).slice(0, 500)}`, started)
      // ollama-js stops reading at `done`; anything after it would be lost without a word.
      if (sawDone) throw failure('malformed', `line ${lines + 1} follows the final line`, started)
      if (('done' in value && value.done === true) || ('status' in value && value.status === 'success'))
        sawDone = true
      lines++
      return bytes
    }
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          if (!source) throw failure('truncated', 'response has no body', false)
          if (deferred) throw deferred
          for (;;) {
            const started = lines > 0
            const r = await this.read(
              source,
              total === 0 ? d.firstChunkMs : d.idleMs,
              total === 0 ? 'no first chunk' : 'no data',
              started,
            )
            let raw: Uint8Array[]
            if (r.done) {
              const last = splitter.finish()
              raw = last ? [last] : []
            } else {
              total += r.value.length
              if (total > limits.total)
                throw failure('too-large', `response exceeds ${limits.total} bytes`, started)
              raw = splitter.push(r.value)
            }
            // Validated lines of this read go on as one chunk: one stream operation instead of two per line.
            const out: Uint8Array[] = []
            const deliver = (): void => {
              if (out.length > 0) controller.enqueue(Buffer.concat(out))
            }
            let emitted = false
            for (const bytes of raw) {
              let ok: Uint8Array | null
              try {
                ok = check(bytes)
              } catch (e) {
                if (!(e instanceof Error)) throw e
                // Erroring the stream would discard the good lines queued before this one, and with
                // them the partial text: deliver those, fail on the next pull.
                if (!emitted) throw e
                deferred = e
                deliver()
                return
              }
              if (!ok) continue
              out.push(ok, newline)
              emitted = true
            }
            deliver()
            if (r.done) {
              if (!sawDone) {
                const err = failure('truncated', `stream ended after ${lines} lines without done`, lines > 0)
                if (!emitted) throw err
                deferred = err
                return
              }
              this.finish()
              controller.close()
              return
            }
            if (emitted) return
          }
        } catch (e) {
          const err =
            e instanceof LineTooLongError
              ? failure('too-large', e.message, lines > 0)
              : e instanceof GenerationError
                ? e
                : fromNetworkError(e, lines > 0)
          this.fail(err)
          this.finish()
          source?.cancel().catch(() => undefined)
          controller.error(this.reason ?? err)
        }
      },
      cancel: async () => {
        this.finish()
        await source?.cancel().catch(() => undefined)
      },
    })
  }

  /** A plain JSON body: read whole (capped, under deadlines), validated, then handed on. */
  jsonBody(
    response: Response,
    d: Deadlines,
    limits: { line: number; total: number },
  ): ReadableStream<Uint8Array> {
    const cap = Math.min(limits.line, limits.total)
    return new ReadableStream<Uint8Array>({
      start: async (controller) => {
        const reader = response.body?.getReader()
        const parts: Uint8Array[] = []
        let size = 0
        try {
          if (!reader) throw failure('truncated', 'response has no body', false)
          for (;;) {
            const r = await this.read(reader, size === 0 ? d.firstChunkMs : d.idleMs, 'no data', false)
            if (r.done) break
            size += r.value.length
            if (size > cap) throw failure('too-large', `response exceeds ${cap} bytes`, false)
            parts.push(r.value)
          }
          const bytes = Buffer.concat(parts)
          let value: unknown
          try {
            value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
          } catch {
            throw failure('malformed', 'response is not valid JSON', false)
          }
          if (value && typeof value === 'object' && 'error' in value)
            throw failure('model-error', `server error: ${String(value.error).slice(0, 500)}`, false)
          this.finish()
          controller.enqueue(new Uint8Array(bytes))
          controller.close()
        } catch (e) {
          const err = e instanceof GenerationError ? e : fromNetworkError(e, false)
          this.fail(err)
          this.finish()
          reader?.cancel().catch(() => undefined)
          controller.error(this.reason ?? err)
        }
      },
    })
  }
}
