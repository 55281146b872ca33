// The one interface every model engine implements (Ollama over HTTP; llama.cpp embedded through
// node-llama-cpp), so generation jobs, the models screen and the collapse monitor never know which runs.

import type { RenderedPrompt } from '@shared/domain/prompt-template'
import type { CompactLogprobs, TokenLogprob } from '@shared/domain/token-logprobs'

// A prompt template renders to this: one definition, shared with the renderer's live preview.
export type { ChatMessage, RenderedPrompt } from '@shared/domain/prompt-template'

export interface SamplingOptions {
  temperature: number
  topP: number | null
  topK: number | null
  seed: number | null
  maxTokens: number | null
  stop: string[]
  /** 1 turns the penalty off; absent or null leaves the server's default (Ollama's is 1.1). */
  repeatPenalty?: number | null
}

export interface GenerateRequest {
  model: string
  prompt: RenderedPrompt
  sampling: SamplingOptions
  /** Per-token logprobs with this many alternatives (0–20), or null for none. */
  logprobs: { topK: number } | null
  /** Ask a reasoning model to think; the trace is kept apart from the answer. */
  think: boolean
  signal: AbortSignal
  /** Streamed pieces as they arrive, for the live preview. */
  onChunk?: (chunk: { text: string; thinking: string }) => void
}

export type { TokenLogprob }

export interface GenerateResult {
  text: string
  /** The reasoning trace (a separate `thinking` field or inline <think>…</think> blocks), if any. */
  thinking: string | null
  /** Per-token logprobs as column arrays (what is stored), or null when none were asked for. */
  logprobs: CompactLogprobs | null
  promptTokens: number | null
  completionTokens: number | null
  doneReason: string | null
  timings: { firstTokenMs: number | null; totalMs: number }
  /** Identity of what answered, for provenance. */
  modelDigest: string | null
  engineVersion: string | null
  host: string | null
}

export type GenerationFailureKind =
  | 'refused'
  | 'not-found'
  | 'server-error'
  | 'busy'
  | 'timeout'
  | 'malformed'
  | 'truncated'
  | 'reset'
  | 'too-large'
  | 'content-type'
  | 'model-error'
  | 'aborted'

/**
 * A generation that did not complete. `partialText` is whatever had streamed (never to be treated as
 * final); `isRetryable` is true only for failures before the first token.
 */
export class GenerationError extends Error {
  constructor(
    readonly kind: GenerationFailureKind,
    message: string,
    readonly isRetryable: boolean,
    readonly partialText = '',
    readonly attempts = 1,
  ) {
    super(message)
    this.name = 'GenerationError'
  }
}

export interface ModelInfo {
  name: string
  digest: string | null
  sizeBytes: number | null
  family: string | null
  quantization: string | null
  parameterSize: string | null
  modifiedAt: string | null
}

export interface Engine {
  readonly kind: 'ollama' | 'llamacpp'
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>
  generate(request: GenerateRequest): Promise<GenerateResult>
  embed(model: string, texts: string[], signal?: AbortSignal): Promise<number[][]>
}

export interface TextScore {
  tokens: { token: string; logprob: number }[]
  /** exp(−mean logprob) over the scored tokens. */
  perplexity: number
}

/** Only the embedded engine can score a given text exactly (Ollama has no prompt logprobs). */
export interface ScoringEngine extends Engine {
  scoreText(text: string, signal?: AbortSignal): Promise<TextScore>
}
