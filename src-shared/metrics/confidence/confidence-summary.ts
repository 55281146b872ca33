// Per-generation confidence summary from the stored logprob columns of the samples: mean truncated entropy,
// mean leftover mass, mean top-1 probability, the share of near-certain positions, and self-perplexity.
import type { CompactLogprobs } from '../../domain/token-logprobs'
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

/** One sample's sums, from which any set of samples' summary is pooled (and bootstrapped) exactly. */
export interface ConfidenceParts {
  /** Positions with a top-k list, and the sums over them. */
  positions: number
  entropySum: number
  leftoverSum: number
  topOneSum: number
  certain: number
  /** Chosen tokens with a finite logprob, and Σ −min(0, logprob) over them (self-perplexity). */
  tokens: number
  negLogprobSum: number
}

export function confidenceParts(sample: LogprobColumns, certainAbove = 0.9): ConfidenceParts {
  const parts = {
    positions: 0,
    entropySum: 0,
    leftoverSum: 0,
    topOneSum: 0,
    certain: 0,
    tokens: 0,
    negLogprobSum: 0,
  }
  for (const top of sample.topLogprobs) {
    if (top.length === 0) continue
    parts.positions++
    parts.entropySum += truncatedEntropy(top)
    parts.leftoverSum += leftoverMass(top)
    const p1 = topOneProbability(top)
    parts.topOneSum += p1
    if (p1 > certainAbove) parts.certain++
  }
  for (const logprob of sample.logprobs) {
    if (!Number.isFinite(logprob)) continue
    parts.tokens++
    parts.negLogprobSum -= Math.min(0, logprob)
  }
  return parts
}

/** Pools samples' parts, token-weighted; null when no position has a top-k list. */
export function poolConfidence(parts: readonly ConfidenceParts[]): ConfidenceSummary | null {
  let [positions, entropy, leftover, topOne, certain, tokens, nll] = [0, 0, 0, 0, 0, 0, 0]
  for (const p of parts) {
    positions += p.positions
    entropy += p.entropySum
    leftover += p.leftoverSum
    topOne += p.topOneSum
    certain += p.certain
    tokens += p.tokens
    nll += p.negLogprobSum
  }
  if (positions === 0) return null
  return {
    positions,
    meanTruncatedEntropy: entropy / positions,
    meanLeftoverMass: leftover / positions,
    meanTopOneProbability: topOne / positions,
    certainShare: certain / positions,
    selfPerplexity: tokens === 0 ? null : Math.exp(nll / tokens),
  }
}

/**
 * Pools positions over all samples (token-weighted). Positions without a top-k list (engines that were not
 * asked for alternatives) are skipped rather than counted as certain. Null when no position has a list.
 */
export function summarizeConfidence(
  samples: readonly LogprobColumns[],
  certainAbove = 0.9,
): ConfidenceSummary | null {
  return poolConfidence(samples.map((sample) => confidenceParts(sample, certainAbove)))
}
