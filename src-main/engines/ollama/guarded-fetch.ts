// The fetch handed to ollama-js: deadlines (headers, first chunk, idle), content-type and size checks,
// and strict NDJSON (every line validated and re-emitted, so the client can never drop one silently).
// Every failure surfaces as a GenerationError, thrown from fetch or raised through the body stream.
import { GenerationError } from '../engine'
import { failure, fromNetworkError, fromStatus } from './failures'
import { GuardedCall } from './guarded-call'
import { ANSWER_FINAL, ANY_FINAL, type NdjsonChecker } from './ndjson-checker'

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
  /** Hands over the line checker of a streamed body, so the caller can account for every line. */
  onNdjson?: (checker: NdjsonChecker) => void
}

const MiB = 1024 * 1024

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
      if (!ndjson) {
        const head = { status: response.status, statusText: response.statusText, headers: response.headers }
        return new Response(call.jsonBody(response, deadlines, limits), head)
      }
      // ollama-js reads a stream through body.getReader() alone: it gets the checking reader itself, not a
      // ReadableStream around it (see ndjson-body-reader.ts for what that saves per token). The reader is
      // set on the response itself, over its original body (read only through the checker from here on):
      // a second Response per request copied the headers and ran undici's checks again for nothing.
      const body = call.ndjsonBody(response, deadlines, limits, options.onNdjson, finalMarkersFor(input))
      Object.defineProperty(response, 'body', { value: body })
      return response
    } catch (e) {
      call.finish()
      throw e instanceof GenerationError ? e : fromNetworkError(e, false)
    }
  }
  return guarded
}

/** A generate or chat answer ends with `done: true`; any other stream (a pull) may end with either marker. */
function finalMarkersFor(input: string | URL | Request): readonly string[] {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  return /\/api\/(?:chat|generate)$/.test(url) ? ANSWER_FINAL : ANY_FINAL
}
