// One streamed Ollama answer as it arrives: the text and the reasoning trace kept apart (a `thinking`
// field, or <think>…</think> written inline), per-token logprobs checked field by field, counts and timings.
import type { CompactLogprobs } from '@shared/domain/token-logprobs'
import { GenerationError, type GenerateRequest, type GenerateResult } from '../engine'
import { ThinkSplitter } from './think-splitter'

/** The fields of a streamed /api/chat or /api/generate part this reads (ollama-js's types stay in the engine). */
export interface StreamedPart {
  done?: boolean
  prompt_eval_count?: number
  eval_count?: number
  done_reason?: string
}

/**
 * onChunk hears what streamed at most this often (and at once for the first piece, and at the end): per
 * token it was a call, an object and two concatenations per token for a preview redrawn every 150 ms.
 */
const CHUNK_INTERVAL_MS = 50

/** Collects one streamed answer: text and thinking apart, logprobs, counts and timings. */
export class Accumulator {
  started = false
  /** Parts received: one per NDJSON line that ollama-js parsed. */
  parts = 0
  /** The answer's length after each part, to cut the text where a dropped line was. */
  private readonly textAfter: number[] = []
  private text = ''
  private thinking = ''
  private readonly splitter = new ThinkSplitter()
  private readonly logprobs: CompactLogprobs = { tokens: [], logprobs: [], topTokens: [], topLogprobs: [] }
  private firstTokenMs: number | null = null
  private unsentText = ''
  private unsentThinking = ''
  private chunkAt = Number.NEGATIVE_INFINITY
  private final: StreamedPart | null = null

  constructor(
    private readonly request: GenerateRequest,
    private readonly t0: number,
  ) {}

  add(content: string | undefined, thinkingField: string | undefined, part: StreamedPart): void {
    this.started = true
    const piece = this.splitter.push(typeof content === 'string' ? content : '')
    const thinking = (typeof thinkingField === 'string' ? thinkingField : '') + piece.thinking
    this.take(piece.text, thinking)
    if (this.request.logprobs) readLogprobs((part as { logprobs?: unknown }).logprobs, this.logprobs)
    if (part.done) this.final = part
    this.parts++
    this.textAfter.push(this.text.length)
  }

  /** The answer as it stood before part `index` (0-based). */
  textBefore(index: number): string {
    return this.text.slice(0, index > 0 ? (this.textAfter[index - 1] ?? this.text.length) : 0)
  }

  partial(): string {
    this.sendChunk()
    return this.text + this.splitter.flush().text
  }

  result(): Omit<GenerateResult, 'modelDigest' | 'engineVersion' | 'host'> {
    const rest = this.splitter.flush()
    this.take(rest.text, rest.thinking)
    this.sendChunk()
    const final = this.final
    if (!final) throw new GenerationError('truncated', 'stream ended without a final chunk', false, this.text)
    return {
      text: this.text,
      thinking: this.thinking === '' ? null : this.thinking,
      logprobs: this.request.logprobs ? this.logprobs : null,
      promptTokens: typeof final.prompt_eval_count === 'number' ? final.prompt_eval_count : null,
      completionTokens: typeof final.eval_count === 'number' ? final.eval_count : null,
      doneReason: typeof final.done_reason === 'string' ? final.done_reason : null,
      timings: { firstTokenMs: this.firstTokenMs, totalMs: performance.now() - this.t0 },
    }
  }

  private take(text: string, thinking: string): void {
    if (text === '' && thinking === '') return
    const now = performance.now()
    this.firstTokenMs ??= now - this.t0
    this.text += text
    this.thinking += thinking
    if (!this.request.onChunk) return
    this.unsentText += text
    this.unsentThinking += thinking
    if (now - this.chunkAt >= CHUNK_INTERVAL_MS) this.sendChunk(now)
  }

  private sendChunk(now = performance.now()): void {
    if (this.unsentText === '' && this.unsentThinking === '') return
    const chunk = { text: this.unsentText, thinking: this.unsentThinking }
    this.unsentText = ''
    this.unsentThinking = ''
    this.chunkAt = now
    this.request.onChunk?.(chunk)
  }
}

/** Per-chunk `logprobs: [{token, logprob, top_logprobs: [{token, logprob}]}]`, checked field by field. */
function readLogprobs(raw: unknown, into: CompactLogprobs): void {
  if (raw === undefined || raw === null) return
  if (!Array.isArray(raw)) throw new GenerationError('malformed', 'logprobs is not an array', false)
  for (const entry of raw as unknown[]) {
    const e = entry as { token?: unknown; logprob?: unknown; top_logprobs?: unknown }
    if (typeof e?.token !== 'string' || typeof e.logprob !== 'number')
      throw new GenerationError('malformed', 'logprob entry lacks token or logprob', false)
    const top = Array.isArray(e.top_logprobs) ? (e.top_logprobs as unknown[]) : []
    // Sized up front: push() from [] gave each token's two small arrays room for 17 elements, kept while
    // the candidate waits for the log (twice the memory of the exact arrays, and slower than filling them).
    const topTokens = new Array<string>(top.length)
    const topLogprobs = new Array<number>(top.length)
    for (let k = 0; k < top.length; k++) {
      const alt = top[k] as { token?: unknown; logprob?: unknown } | null | undefined
      if (typeof alt?.token !== 'string' || typeof alt.logprob !== 'number')
        throw new GenerationError('malformed', 'top_logprobs entry lacks token or logprob', false)
      topTokens[k] = alt.token
      topLogprobs[k] = alt.logprob
    }
    into.tokens.push(e.token)
    into.logprobs.push(e.logprob)
    into.topTokens.push(topTokens)
    into.topLogprobs.push(topLogprobs)
  }
}
