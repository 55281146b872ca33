// Held-out likelihood of the frozen human reference under one model generation: perplexity and its ratio to
// generation 0, the share of "forgotten" tokens, and the NLL on rare reference types, which rises first.
import { perplexityOf, pooledLogprobs } from './scored-text'
import type { ScoredText } from './scored-text'

/** Token-weighted perplexity of the reference (↑ under collapse); null without scored tokens. */
export function referencePerplexity(texts: readonly ScoredText[]): number | null {
  return perplexityOf(pooledLogprobs(texts))
}

/**
 * Perplexity now over perplexity at generation 0 (> 1: the reference got less likely). Null when either is
 * missing or generation 0's is not a positive finite number.
 */
export function perplexityRatio(current: number | null, generation0: number | null): number | null {
  if (current === null || generation0 === null) return null
  if (!(generation0 > 0) || !Number.isFinite(generation0)) return null
  return current / generation0
}

/** Share of reference tokens with log p below `threshold` (default −10, p < 4.5e−5): tails forgotten (↑). */
export function forgottenShare(texts: readonly ScoredText[], threshold = -10): number | null {
  const logprobs = pooledLogprobs(texts)
  if (logprobs.length === 0) return null
  return logprobs.filter((logprob) => logprob < threshold).length / logprobs.length
}

export interface RareTypeNll {
  /** Distinct token types counted as rare. */
  types: number
  /** Occurrences of those types, the tokens averaged over. */
  tokens: number
  /** Mean −log p over those occurrences, in nats. */
  meanNll: number
}

/**
 * Mean NLL on the reference's rare token types: types (exact token text) occurring at most `maxCount` times in
 * the whole reference, 2 by default to match the text metrics' tail. Generations share the tokenizer, so the
 * rare set is the same at every generation. Null when the reference has no rare type.
 */
export function rareTypeNll(texts: readonly ScoredText[], maxCount = 2): RareTypeNll | null {
  const counts = new Map<string, number>()
  for (const text of texts) for (const { token } of text) counts.set(token, (counts.get(token) ?? 0) + 1)
  let total = 0
  let tokens = 0
  for (const text of texts) {
    for (const { token, logprob } of text) {
      if ((counts.get(token) ?? 0) > maxCount || Number.isNaN(logprob)) continue
      total -= logprob
      tokens++
    }
  }
  if (tokens === 0) return null
  const types = [...counts.values()].filter((count) => count <= maxCount).length
  return { types, tokens, meanNll: total / tokens }
}
