// Self-perplexity: how surprised the generating model was by its own samples, exp of the mean negative
// logprob of the chosen tokens. Falls as sampling concentrates on the mode.
import type { CompactLogprobs } from '../../domain/token-logprobs'

/**
 * exp(−mean logprob) pooled over every token of every sample (token-weighted, so long samples count more,
 * as in corpus perplexity). Null when there are no finite logprobs to average.
 */
export function selfPerplexity(samples: readonly Pick<CompactLogprobs, 'logprobs'>[]): number | null {
  let total = 0
  let count = 0
  for (const sample of samples) {
    for (const logprob of sample.logprobs) {
      if (!Number.isFinite(logprob)) continue
      total += Math.min(0, logprob)
      count++
    }
  }
  return count === 0 ? null : Math.exp(-total / count)
}
