// Per-generation confidence summary from the stored logprob columns of the samples: mean truncated entropy,
// mean leftover mass, mean top-1 probability, the share of near-certain positions, and self-perplexity.
import type { CompactLogprobs } from '../../domain/token-logprobs'
import { selfPerplexity } from './self-perplexity'
import { leftoverMass, topOneProbability, truncatedEntropy } from './token-distribution'

export interface ConfidenceSummary {
  /** Positions that carried a top-k list; the means below are over these. */
  positions: number
  /** Mean H_k in nats (↓ under collapse). */
  meanTruncatedEntropy: number
  /** Mean mass outside the top-k list (↓). */
  meanLeftoverMass: number
  /** Mean top-1 probability (↑). */
  meanTopOneProbability: number
  /** Share of positions whose top-1 probability exceeds `certainAbove` (↑). */
  certainShare: number
  /** Token-weighted self-perplexity of the chosen tokens (↓); null without logprobs. */
  selfPerplexity: number | null
}

export type LogprobColumns = Pick<CompactLogprobs, 'logprobs' | 'topLogprobs'>

/**
 * Pools positions over all samples (token-weighted). Positions without a top-k list (engines that were not
 * asked for alternatives) are skipped rather than counted as certain. Null when no position has a list.
 */
export function summarizeConfidence(
  samples: readonly LogprobColumns[],
  certainAbove = 0.9,
): ConfidenceSummary | null {
  let positions = 0
  let entropy = 0
  let leftover = 0
  let topOne = 0
  let certain = 0
  for (const sample of samples) {
    for (const top of sample.topLogprobs) {
      if (top.length === 0) continue
      positions++
      entropy += truncatedEntropy(top)
      leftover += leftoverMass(top)
      const p1 = topOneProbability(top)
      topOne += p1
      if (p1 > certainAbove) certain++
    }
  }
  if (positions === 0) return null
  return {
    positions,
    meanTruncatedEntropy: entropy / positions,
    meanLeftoverMass: leftover / positions,
    meanTopOneProbability: topOne / positions,
    certainShare: certain / positions,
    selfPerplexity: selfPerplexity(samples),
  }
}
