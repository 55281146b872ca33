// Generation-t samples scored by the frozen generation-0 model: the median per-sample perplexity falls as
// sampling sharpens onto the mode, while the 95th percentile rises as errors accumulate.
import { quantile } from './quantile'
import { perplexityOf, pooledLogprobs } from './scored-text'
import type { ScoredToken } from './scored-text'

export interface SamplePerplexitySpread {
  /** Samples with at least one scored token. */
  samples: number
  median: number
  p95: number
}

/** Per-sample perplexities (exp of that sample's mean NLL); samples without scored tokens are skipped. */
export function perSamplePerplexities(
  samples: readonly (readonly Pick<ScoredToken, 'logprob'>[])[],
): number[] {
  const perplexities: number[] = []
  for (const sample of samples) {
    const perplexity = perplexityOf(pooledLogprobs([sample]))
    if (perplexity !== null) perplexities.push(perplexity)
  }
  return perplexities
}

/** Median and p95 (linear interpolation) of per-sample perplexity under generation 0; null for no samples. */
export function generation0ScoredPerplexity(
  samples: readonly (readonly Pick<ScoredToken, 'logprob'>[])[],
): SamplePerplexitySpread | null {
  const perplexities = perSamplePerplexities(samples)
  const median = quantile(perplexities, 0.5)
  const p95 = quantile(perplexities, 0.95)
  if (median === null || p95 === null) return null
  return { samples: perplexities.length, median, p95 }
}
