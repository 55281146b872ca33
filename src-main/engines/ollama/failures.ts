// Maps what goes wrong talking to Ollama (network errors, HTTP statuses, stream faults) onto the
// engine's GenerationError kinds, so callers never see a raw undici or ollama-js error.
import { GenerationError, type GenerationFailureKind } from '../engine'

/** Kinds worth another attempt, and only while nothing has streamed yet. */
export const RETRYABLE_KINDS: ReadonlySet<GenerationFailureKind> = new Set([
  'refused',
  'server-error',
  'busy',
  'reset',
  'timeout',
])

export function failure(kind: GenerationFailureKind, message: string, started: boolean): GenerationError {
  return new GenerationError(kind, message, !started && RETRYABLE_KINDS.has(kind))
}

function errorCode(e: unknown): string | null {
  // undici puts the socket error in `cause`; node:net errors carry `code` directly.
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    if (typeof cur === 'object' && 'code' in cur && typeof cur.code === 'string') return cur.code
    cur = typeof cur === 'object' && 'cause' in cur ? cur.cause : null
  }
  return null
}

/** A network-level rejection from fetch or from reading the body. */
export function fromNetworkError(e: unknown, started: boolean): GenerationError {
  if (e instanceof GenerationError) return e
  const code = errorCode(e)
  const detail = e instanceof Error ? `${e.message}${code ? ` (${code})` : ''}` : String(e)
  if (code === 'ECONNREFUSED') return failure('refused', `connection refused: ${detail}`, started)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return failure('refused', `host unreachable: ${detail}`, started)
  return failure('reset', `connection lost: ${detail}`, started)
}

/** A non-2xx answer; `body` is the (bounded) error text, usually `{"error": "..."}`. */
export function fromStatus(status: number, body: string): GenerationError {
  let message = body.slice(0, 500)
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string')
      message = parsed.error
  } catch {
    // Not JSON: keep the text itself.
  }
  const text = `HTTP ${status}: ${message}`
  if (status === 404) return failure('not-found', text, false)
  if (status === 503 || status === 429) return failure('busy', text, false)
  if (status >= 500) return failure('server-error', text, false)
  return failure('model-error', text, false)
}
