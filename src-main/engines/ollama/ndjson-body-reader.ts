// The streamed body handed to ollama-js, as a reader it pulls directly. ollama-js reads a streamed body
// only through `body.getReader()`, `read()` and `releaseLock()`; wrapping the checked lines in a WHATWG
// ReadableStream instead cost a pull, an enqueue and several promise hops per chunk, which at one chunk per
// token was the largest part of the app's overhead over a bare ollama-js loop (docs/benchmarks.md). Each
// read() here reads one source chunk under the deadline in force and hands on its checked lines.
// test/integration/ollama-engine.test.ts drives every fault through ollama-js and this reader.
import { GenerationError } from '../engine'
import { failure, fromNetworkError } from './failures'
import type { BodyLimits, GuardedCall } from './guarded-call'
import type { Deadlines } from './guarded-fetch'
import type { NdjsonChecker } from './ndjson-checker'

type Chunk = { done: false; value: Uint8Array } | { done: true; value: undefined }

const END: Chunk = { done: true, value: undefined }

export class NdjsonBodyReader {
  private total = 0
  private isClosed = false
  /** A bad line after good ones: the good ones go on first (they carry the partial text), then this. */
  private deferred: GenerationError | null = null
  private failed: GenerationError | null = null

  constructor(
    private readonly call: GuardedCall,
    private readonly source: ReadableStreamDefaultReader<Uint8Array> | undefined,
    private readonly checker: NdjsonChecker,
    private readonly deadlines: Deadlines,
    private readonly limits: BodyLimits,
  ) {}

  /** A stand-in for `response.body`: the same object is its own reader. */
  getReader(): this {
    return this
  }

  get locked(): boolean {
    return false
  }

  releaseLock(): void {}

  async cancel(): Promise<void> {
    this.isClosed = true
    this.call.finish()
    await this.source?.cancel().catch(() => undefined)
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = await this.read()
      if (chunk.done) return
      yield chunk.value
    }
  }

  async read(): Promise<Chunk> {
    if (this.failed) throw this.failed
    if (this.isClosed) return END
    const { checker, call, limits } = this
    try {
      if (!this.source) throw failure('truncated', 'response has no body', false)
      if (this.deferred) throw this.deferred
      for (;;) {
        const started = checker.lines > 0
        const first = this.total === 0
        // GuardedCall.read inlined: one async frame less per token.
        if (call.reason) throw call.reason
        call.arm(
          first ? this.deadlines.firstChunkMs : this.deadlines.idleMs,
          first ? 'no first chunk' : 'no data',
          started,
        )
        let r: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>
        try {
          r = await this.source.read()
        } catch (e) {
          throw call.reason ?? fromNetworkError(e, started)
        } finally {
          call.disarm()
        }
        if (!r.done) {
          this.total += r.value.length
          if (this.total > limits.total)
            throw failure('too-large', `response exceeds ${limits.total} bytes`, started)
        }
        const { bytes, error } = r.done ? checker.finish() : checker.push(r.value)
        if (error && !bytes) throw error
        // ollama-js stops reading at the final line, so the end of the body may never be read: let go of
        // the caller's signal and the timer now rather than keep them for the whole job.
        if (checker.sawDone) call.finish()
        if (error) {
          this.deferred = error
          return { done: false, value: bytes! }
        }
        if (r.done) {
          if (!checker.sawDone) {
            const lines = checker.lines
            const err = failure('truncated', `stream ended after ${lines} lines without done`, lines > 0)
            if (!bytes) throw err
            this.deferred = err
            return { done: false, value: bytes }
          }
          call.finish()
          this.isClosed = true
          return bytes ? { done: false, value: bytes } : END
        }
        if (bytes) return { done: false, value: bytes }
      }
    } catch (e) {
      const err = e instanceof GenerationError ? e : fromNetworkError(e, checker.lines > 0)
      call.fail(err)
      call.finish()
      this.source?.cancel().catch(() => undefined)
      this.failed = call.reason ?? err
      throw this.failed
    }
  }
}
