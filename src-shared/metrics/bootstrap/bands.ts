// 90 % bands for any metric computed from a set of samples, seeded and with a bounded number of resamples.
// Two resampling schemes, because the metrics differ:
//  - averages over samples (confidence, forgotten share, per-sample perplexity quantiles): the percentile
//    bootstrap, resampling with replacement;
//  - diversity metrics (distinct-n, self-BLEU, duplicates, Vendi, pairwise distance…): resampling with
//    replacement would copy texts and so fake repetition, biasing every one of them. Half-samples without
//    replacement copy nothing, and for an average their spread equals the full sample's sampling spread
//    (Var of a mean of n/2 drawn without replacement from n is σ²/(n/2)·(1 − 1/2) = σ²/n: the half-sample
//    method). Metrics whose level depends on sample size (a half sample has half the token budget) are
//    handled by taking only the spread: the band is the full figure plus the 5th and 95th percentiles of
//    the half-sample figures' deviations from their median.
import { seededRandom } from '../../domain/seeded-random'
import type { Band } from '../likelihood/bootstrap-perplexity'
import { quantile } from '../likelihood/quantile'

export type { Band }

export type Figures = Record<string, number | null | undefined>

const finite = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value)

/** `rounds` seeded draws of ⌊n/2⌋ distinct indices (partial Fisher–Yates); none below four items. */
export function halfSamples(n: number, rounds: number, seed: number): number[][] {
  if (n < 4) return []
  const random = seededRandom(seed)
  const m = Math.floor(n / 2)
  const draws: number[][] = []
  const order = Array.from({ length: n }, (_, i) => i)
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(random() * (n - i))
      const swap = order[i]!
      order[i] = order[j]!
      order[j] = swap
    }
    draws.push(order.slice(0, m).sort((a, b) => a - b))
  }
  return draws
}

/** full + [q05, q95] of the deviations from the median; contains `full` by construction. */
export function deviationBand(full: number, values: readonly number[]): Band | null {
  const median = quantile(values, 0.5)
  if (median === null || values.length < 2) return null
  const deviations = values.map((v) => v - median)
  const low = quantile(deviations, 0.05)
  const high = quantile(deviations, 0.95)
  return low === null || high === null ? null : { low: full + low, high: full + high }
}

/** Collects each key's values over rounds and turns them into bands with `band`; keys without one are left out. */
function bandsOf(
  full: Figures,
  rounds: readonly Figures[],
  band: (full: number, values: number[]) => Band | null,
): Record<string, Band> {
  const bands: Record<string, Band> = {}
  for (const [key, value] of Object.entries(full)) {
    if (!finite(value)) continue
    const values = rounds.map((r) => r[key]).filter(finite)
    const result = band(value, values)
    if (result !== null) bands[key] = result
  }
  return bands
}

/** Half-sample bands for the figures `statistic` computes; `full` is the statistic on all the items. */
export function halfSampleBands<T>(
  items: readonly T[],
  full: Figures,
  statistic: (half: T[]) => Figures,
  options: { rounds: number; seed: number },
): Record<string, Band> {
  const rounds = halfSamples(items.length, options.rounds, options.seed).map((indices) =>
    statistic(indices.map((i) => items[i]!)),
  )
  return bandsOf(full, rounds, deviationBand)
}

/** Percentile-bootstrap bands (resampling with replacement) for figures that average over the items. */
export function bootstrapBands<T>(
  items: readonly T[],
  statistic: (resample: T[]) => Figures,
  options: { rounds: number; seed: number },
): Record<string, Band> {
  if (items.length < 2) return {}
  const random = seededRandom(options.seed)
  const rounds: Figures[] = []
  for (let round = 0; round < options.rounds; round++)
    rounds.push(statistic(items.map(() => items[Math.floor(random() * items.length)]!)))
  return bandsOf(statistic([...items]), rounds, (_, values) => {
    const low = quantile(values, 0.05)
    const high = quantile(values, 0.95)
    return low === null || high === null || values.length < 2 ? null : { low, high }
  })
}
