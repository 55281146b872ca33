// The state of one guarded request: its abort controller, the first failure, the deadline in force, and
// the bodies handed on to ollama-js (strict NDJSON, or one whole checked JSON document).
import { GenerationError } from '../engine'
import { failure, fromNetworkError } from './failures'
import type { Deadlines } from './guarded-fetch'
import { NdjsonBodyReader } from './ndjson-body-reader'
import { NdjsonChecker } from './ndjson-checker'

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

export interface BodyLimits {
  line: number
  total: number
}

export class GuardedCall {
  reason: GenerationError | null = null
  private readonly controller = new AbortController()
  private readonly cleanups: (() => void)[] = []
  // One lazily moved timer instead of a setTimeout/clearTimeout pair per chunk: a read only moves the
  // deadline forward; the timer, when it fires early, sleeps again until the deadline in force.
  private deadline: { at: number; ms: number; what: string; started: boolean } | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private timerAt = 0

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
    this.stopTimer()
    this.controller.abort(this.reason)
  }

  arm(ms: number, what: string, started = false): void {
    const at = performance.now() + ms
    this.deadline = { at, ms, what, started }
    // A timer already due before the new deadline wakes up and sleeps again; only an earlier one is set anew.
    if (this.timer !== null && this.timerAt <= at) return
    this.stopTimer()
    this.startTimer(at)
  }

  disarm(): void {
    this.deadline = null
  }

  finish(): void {
    this.disarm()
    this.stopTimer()
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
    this.finish()
    return Buffer.concat(parts).toString('utf8').slice(0, cap)
  }

  /** A streamed body: checked lines handed on by a reader that ollama-js pulls directly. */
  ndjsonBody(
    response: Response,
    d: Deadlines,
    limits: BodyLimits,
    onChecker?: (checker: NdjsonChecker) => void,
    finalMarkers?: readonly string[],
  ): NdjsonBodyReader {
    const checker = new NdjsonChecker(limits.line, finalMarkers)
    onChecker?.(checker)
    return new NdjsonBodyReader(this, response.body?.getReader(), checker, d, limits)
  }

  /** A plain JSON body: read whole (capped, under deadlines), validated, then handed on. */
  jsonBody(response: Response, d: Deadlines, limits: BodyLimits): ReadableStream<Uint8Array> {
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

  private startTimer(at: number): void {
    this.timerAt = at
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, at - performance.now()))
    // A deadline guards a request; it is no reason to keep the process alive.
    this.timer.unref?.()
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private onTimer(): void {
    this.timer = null
    const d = this.deadline
    if (!d || this.reason) return
    // setTimeout may fire a millisecond early; only a deadline really passed counts.
    if (d.at - performance.now() > 1) return this.startTimer(d.at)
    this.fail(failure('timeout', `${d.what} within ${d.ms} ms`, d.started))
  }
}
