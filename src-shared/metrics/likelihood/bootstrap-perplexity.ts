// A percentile bootstrap band for the pooled perplexity of a reference set: resample the reference texts
// (the unit that was chosen at random), not the tokens, which are not independent within a text.
import { seededRandom } from '../../domain/seeded-random'
import { quantile } from './quantile'

export interface TextNll {
  tokens: number
  /** Σ −log p over the text's tokens, nats. */
  nll: number
}

export interface Band {
  low: number
  high: number
}

/**
 * The [5 %, 95 %] band of exp(Σ nll / Σ tokens) over `rounds` seeded resamples with replacement. Null for
 * fewer than two texts with tokens: one text has no spread to resample.
 */
export function bootstrapPerplexity(texts: readonly TextNll[], seed = 0, rounds = 400): Band | null {
  const scored = texts.filter((t) => t.tokens > 0)
  if (scored.length < 2) return null
  const random = seededRandom(seed)
  const estimates: number[] = []
  for (let round = 0; round < rounds; round++) {
    let tokens = 0
    let nll = 0
    for (let i = 0; i < scored.length; i++) {
      const pick = scored[Math.floor(random() * scored.length)]!
      tokens += pick.tokens
      nll += pick.nll
    }
    estimates.push(Math.exp(nll / tokens))
  }
  const [low, high] = [quantile(estimates, 0.05), quantile(estimates, 0.95)]
  return low === null || high === null ? null : { low, high }
}
