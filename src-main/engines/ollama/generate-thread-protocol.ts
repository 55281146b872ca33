// Messages between main and the generation thread (generate-thread.ts ↔ generate-thread-entry.ts). Only
// plain data crosses: a GenerationError travels as its fields and is rebuilt on the other side.
import type { GenerateRequest, GenerateResult, GenerationFailureKind } from '../engine'
import type { OllamaEngineOptions } from './ollama-engine'
import type { LogprobBlocks } from '@shared/domain/stored-logprobs'

/** What an engine on the thread is built from: everything but a fetch function, which cannot cross. */
export type ThreadEngineOptions = Omit<OllamaEngineOptions, 'fetchImpl' | 'generateThread'>

/** A generate request without its signal and callback, which stay on main. */
export type ThreadRequest = Omit<GenerateRequest, 'signal' | 'onChunk'>

export type ToThread =
  | {
      type: 'generate'
      id: number
      engine: ThreadEngineOptions
      request: ThreadRequest
      /** Whether main wants the streamed pieces (for the live preview); batched a few times a second. */
      wantsChunks: boolean
    }
  | { type: 'abort'; id: number }

export interface ThreadFailure {
  kind: GenerationFailureKind
  message: string
  isRetryable: boolean
  partialText: string
  attempts: number
}

export type FromThread =
  /** Streamed pieces since the last batch, per request: [id, text, thinking]. */
  | { type: 'chunks'; items: [number, string, string][] }
  /**
   * The result with its logprobs as blocks (stored-logprobs.ts) and `result.logprobs` null; `tail` is what
   * streamed since the last batch (one message, not two, for a candidate that ends between batches).
   */
  | {
      type: 'result'
      id: number
      result: GenerateResult
      blocks: LogprobBlocks | null
      tail: [string, string] | null
    }
  | { type: 'failure'; id: number; failure: ThreadFailure; tail: [string, string] | null }
