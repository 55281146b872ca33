// MAUVE (Pillutla et al. 2021) between generated samples and the human reference: quantise both sets of
// embeddings with one joint k-means, compare the two bucket histograms along the divergence frontier.
import { kMeans } from './kmeans'
import { defaultMauveCurveOptions, divergenceCurve, areaUnderCurve } from './mauve-curve'
import type { MauveCurveOptions } from './mauve-curve'
import { canonicalOrder } from './seeded-random'
import { commonDimension, unitVectors } from './unit-vectors'

/** Below this many points per side the histograms over ~n/10 buckets are too noisy to mean anything. */
export const mauveMinimumPerSide = 1000

export interface MauveOptions extends MauveCurveOptions {
  /** Number of k-means buckets; 'auto' is the reference's max(2, round(min(n, m) / 10)). */
  buckets: number | 'auto'
  maxIterations: number
  restarts: number
  seed: number
}

/**
 * Departures from the reference implementation, for cost in a desktop app: no PCA to 90 % explained variance
 * before clustering (the unit vectors are clustered directly), one k-means run of at most 100 Lloyd steps
 * instead of five of 500. Scaling c = 5 and 25 mixture weights are the reference's.
 */
export const defaultMauveOptions: MauveOptions = {
  ...defaultMauveCurveOptions,
  buckets: 'auto',
  maxIterations: 100,
  restarts: 1,
  seed: 1,
}

export type MauveResult =
  { score: number; buckets: number; curve: [number, number][] } | { score: null; reason: string }

/**
 * MAUVE in (0, 1]: near 1 when the generation covers the reference's modes in the reference's proportions,
 * falling as it drops modes (↓ under collapse). Points are put in a content-keyed order before seeding, so
 * the score does not depend on the order of either input. Null, with a reason, below 1000 points per side.
 */
export function mauve(
  samples: readonly Float32Array[],
  reference: readonly Float32Array[],
  options: MauveOptions = defaultMauveOptions,
): MauveResult {
  const smaller = Math.min(samples.length, reference.length)
  if (smaller < mauveMinimumPerSide) {
    return {
      score: null,
      reason: `MAUVE needs at least ${mauveMinimumPerSide} embeddings per side; got ${samples.length} samples and ${reference.length} reference texts`,
    }
  }
  commonDimension([...samples, ...reference])
  const p = unitVectors(canonicalOrder(reference, options.seed))
  const q = unitVectors(canonicalOrder(samples, options.seed))
  const buckets = options.buckets === 'auto' ? Math.max(2, Math.round(smaller / 10)) : options.buckets
  const { labels } = kMeans([...p, ...q], {
    clusters: buckets,
    maxIterations: options.maxIterations,
    restarts: options.restarts,
    seed: options.seed,
  })
  const pHistogram = new Array<number>(buckets).fill(0)
  const qHistogram = new Array<number>(buckets).fill(0)
  labels.forEach((label, i) => {
    if (i < p.length) pHistogram[label] = (pHistogram[label] ?? 0) + 1 / p.length
    else qHistogram[label] = (qHistogram[label] ?? 0) + 1 / q.length
  })
  const curve = divergenceCurve(pHistogram, qHistogram, options)
  return { score: areaUnderCurve(curve), buckets, curve }
}
