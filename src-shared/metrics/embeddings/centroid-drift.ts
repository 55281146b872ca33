// Distance from the generated samples to the human reference in embedding space: the drift of the centroid,
// and a kernel MMD that also sees differences in spread. Both rise as a generation drifts from R.
import { commonDimension, unitVectors } from './unit-vectors'
import { seededSubset } from './seeded-random'

/** Mean of the unit-scaled vectors. */
function centroid(units: readonly Float64Array[], dimension: number): Float64Array {
  const mean = new Float64Array(dimension)
  for (const unit of units) for (let i = 0; i < dimension; i++) mean[i] = (mean[i] ?? 0) + (unit[i] ?? 0)
  for (let i = 0; i < dimension; i++) mean[i] = (mean[i] ?? 0) / units.length
  return mean
}

/**
 * Euclidean distance ‖μ_S − μ_R‖ between the centroids of the unit vectors, in [0, 2]. Its square is the
 * MMD² under the linear kernel. Null when either side is empty.
 */
export function centroidDrift(
  samples: readonly Float32Array[],
  reference: readonly Float32Array[],
): number | null {
  if (samples.length === 0 || reference.length === 0) return null
  const dimension = commonDimension([...samples, ...reference])
  const a = centroid(unitVectors(samples), dimension)
  const b = centroid(unitVectors(reference), dimension)
  let squared = 0
  for (let i = 0; i < dimension; i++) squared += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2
  return Math.sqrt(squared)
}

export interface MmdOptions {
  /** σ of the Gaussian kernel; on unit vectors ‖x − y‖² ∈ [0, 4], so σ = 1 separates near from far. */
  bandwidth: number
  /** Each side is subsampled (seeded, order-free) to at most this many vectors: the estimate is O(n·m·d). */
  maxPerSide: number
  seed: number
}

export const defaultMmdOptions: MmdOptions = { bandwidth: 1, maxPerSide: 500, seed: 1 }

/**
 * Squared maximum mean discrepancy with the Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2σ²)) on the unit
 * vectors, biased (V-statistic) estimate: mean k(S,S) + mean k(R,R) − 2 mean k(S,R). The biased form is
 * never negative and is exactly 0 for identical sets, which makes it readable on a chart. Null when a side
 * is empty.
 */
export function gaussianMmd2(
  samples: readonly Float32Array[],
  reference: readonly Float32Array[],
  options: MmdOptions = defaultMmdOptions,
): number | null {
  if (samples.length === 0 || reference.length === 0) return null
  commonDimension([...samples, ...reference])
  const s = unitVectors(seededSubset(samples, options.maxPerSide, options.seed))
  const r = unitVectors(seededSubset(reference, options.maxPerSide, options.seed))
  const gamma = 1 / (2 * options.bandwidth * options.bandwidth)
  const meanKernel = (a: readonly Float64Array[], b: readonly Float64Array[]) => {
    let total = 0
    for (const x of a) {
      for (const y of b) {
        let dot = 0
        for (let i = 0; i < x.length; i++) dot += (x[i] ?? 0) * (y[i] ?? 0)
        // ‖x − y‖² = 2 − 2x·y for unit vectors.
        total += Math.exp(-gamma * Math.max(0, 2 - 2 * dot))
      }
    }
    return total / (a.length * b.length)
  }
  return Math.max(0, meanKernel(s, s) + meanKernel(r, r) - 2 * meanKernel(s, r))
}
