// Plain-HTTP calls to Ollama for registration (ollama-js has no blob upload and no `files` in create), with
// failures turned into messages that say what to do. Cancellation is never reworded: an aborted call
// rethrows the signal's reason so callers can tell "cancelled" from "failed".
import { AppFailure } from '@shared/ipc/result'

export async function callOllama(
  host: string,
  path: string,
  // `duplex` is Node's (undici) field for streamed request bodies; the DOM's RequestInit lacks it.
  init: RequestInit & { signal?: AbortSignal; duplex?: 'half' },
  doing: string,
): Promise<Response> {
  try {
    return await fetch(`${host}${path}`, init)
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason
    const code = networkCode(error)
    throw new AppFailure(
      'unavailable',
      `Could not reach Ollama at ${host} while ${doing} (${code}). Is Ollama running? Start it (the Ollama ` +
        'app, or `ollama serve`) or fix the server address in Settings, then register again; files already ' +
        'uploaded are not sent twice.',
    )
  }
}

/** The server's own words for a failed request: Ollama answers `{"error": "…"}`, proxies answer HTML. */
export async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as unknown
    if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string')
      return body.error
  } catch {
    // Not JSON: show the start of whatever came back.
  }
  const start = text.replace(/\s+/g, ' ').trim().slice(0, 200)
  return `HTTP ${response.status}${start ? `: ${start}` : ''}`
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}
