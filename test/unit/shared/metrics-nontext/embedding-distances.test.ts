// Mean pairwise cosine distance, within-input spread, centroid drift and Gaussian MMD: hand-computed golden
// values, agreement of the O(n·d) sum-vector formula with the pairwise definition, and invariances.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { meanPairwiseCosineDistance, withinInputSpread } from '@shared/metrics/embeddings/cosine-distance'
import { centroidDrift, gaussianMmd2 } from '@shared/metrics/embeddings/centroid-drift'

const vec = (...values: number[]) => Float32Array.from(values)

const vectorSet = (d: number, minLength: number, maxLength: number) =>
  fc
    .array(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }), {
      minLength,
      maxLength,
    })
    .map((rows) =>
      rows.map((row) => Float32Array.from(row.every((x) => x === 0) ? [1, ...row.slice(1)] : row)),
    )

const shuffledPair = (arbitrary: fc.Arbitrary<Float32Array[]>) =>
  arbitrary.chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length })))

function bruteForceDistance(set: readonly Float32Array[]): number {
  const unit = set.map((v) => {
    const norm = Math.hypot(...v)
    return Array.from(v, (x) => x / norm)
  })
  let total = 0
  let pairs = 0
  for (let a = 0; a < unit.length; a++) {
    for (let b = a + 1; b < unit.length; b++) {
      total += 1 - (unit[a] ?? []).reduce((dot, x, i) => dot + x * (unit[b]?.[i] ?? 0), 0)
      pairs++
    }
  }
  return total / pairs
}

describe('meanPairwiseCosineDistance and withinInputSpread, golden values (tolerance 1e-9)', () => {
  it('is 1 for orthonormal vectors, 0 for identical ones and 2 for an antipodal pair', () => {
    expect(meanPairwiseCosineDistance([vec(1, 0, 0), vec(0, 1, 0), vec(0, 0, 1)])).toBeCloseTo(1, 9)
    expect(meanPairwiseCosineDistance([vec(0.6, 0.8), vec(0.6, 0.8), vec(3, 4)])).toBeCloseTo(0, 9)
    expect(meanPairwiseCosineDistance([vec(1, 0), vec(-2, 0)])).toBeCloseTo(2, 9)
  })

  it('averages three pairs: cosines 0, 0.6 and 0.8 give 1 − 1.4/3 = 0.533333 (1e-6: 0.6 is not exact in float32)', () => {
    expect(meanPairwiseCosineDistance([vec(1, 0), vec(0, 1), vec(0.6, 0.8)])).toBeCloseTo(1.6 / 3, 6)
  })

  it('has no value below two vectors', () => {
    expect(meanPairwiseCosineDistance([vec(1, 0)])).toBeNull()
    expect(withinInputSpread([[vec(1, 0)], []])).toBeNull()
  })

  it('averages spread over inputs with at least two candidates: (1 + 0) / 2', () => {
    const spread = withinInputSpread([[vec(1, 0), vec(0, 1)], [vec(1, 0), vec(2, 0)], [vec(0, 1)]])
    expect(spread).toBeCloseTo(0.5, 9)
  })
})

describe('centroidDrift and gaussianMmd2, golden values', () => {
  it('drift is the distance between unit centroids: √2 for orthogonal singletons, 0 for the same set', () => {
    expect(centroidDrift([vec(1, 0)], [vec(0, 5)])).toBeCloseTo(Math.SQRT2, 9)
    expect(centroidDrift([vec(1, 0), vec(0, 1)], [vec(0, 1), vec(1, 0)])).toBeCloseTo(0, 9)
    expect(centroidDrift([], [vec(1, 0)])).toBeNull()
  })

  it('MMD² of orthogonal singletons with σ = 1: 1 + 1 − 2·exp(−2/2) = 1.2642411 (tolerance 1e-7)', () => {
    expect(gaussianMmd2([vec(1, 0)], [vec(0, 1)])).toBeCloseTo(2 - 2 * Math.exp(-1), 7)
  })

  it('MMD² is 0 for identical sets and null when a side is empty', () => {
    const set = [vec(1, 0), vec(0.6, 0.8), vec(0, 1)]
    expect(gaussianMmd2(set, set.slice().reverse())).toBeCloseTo(0, 12)
    expect(gaussianMmd2(set, [])).toBeNull()
  })
})

describe('embedding distance properties', () => {
  it('the sum-vector mean matches the pairwise definition and lies in [0, 2]', () => {
    fc.assert(
      fc.property(vectorSet(4, 2, 9), (set) => {
        const fast = meanPairwiseCosineDistance(set) ?? Number.NaN
        expect(fast).toBeCloseTo(bruteForceDistance(set), 9)
        expect(fast).toBeGreaterThanOrEqual(-1e-12)
        expect(fast).toBeLessThanOrEqual(2 + 1e-12)
      }),
      { numRuns: 80 },
    )
  })

  it('every set metric is invariant to the order of its inputs, including subsampled MMD', () => {
    fc.assert(
      fc.property(shuffledPair(vectorSet(3, 2, 8)), vectorSet(3, 1, 6), ([set, shuffled], reference) => {
        expect(meanPairwiseCosineDistance(shuffled)).toBeCloseTo(meanPairwiseCosineDistance(set) ?? 0, 9)
        expect(centroidDrift(shuffled, reference)).toBeCloseTo(centroidDrift(set, reference) ?? 0, 9)
        // maxPerSide 3 < n forces subsampling: the kept subset must not depend on the order.
        const options = { bandwidth: 1, maxPerSide: 3, seed: 7 }
        expect(gaussianMmd2(shuffled, reference, options)).toBeCloseTo(
          gaussianMmd2(set, reference, options) ?? 0,
          9,
        )
        expect(withinInputSpread([shuffled, reference])).toBeCloseTo(
          withinInputSpread([set, reference]) ?? 0,
          9,
        )
      }),
      { numRuns: 60 },
    )
  })

  it('MMD² is non-negative and symmetric; drift lies in [0, 2]', () => {
    fc.assert(
      fc.property(vectorSet(3, 1, 6), vectorSet(3, 1, 6), (a, b) => {
        const ab = gaussianMmd2(a, b) ?? Number.NaN
        expect(ab).toBeGreaterThanOrEqual(0)
        expect(gaussianMmd2(b, a)).toBeCloseTo(ab, 9)
        const drift = centroidDrift(a, b) ?? Number.NaN
        expect(drift).toBeGreaterThanOrEqual(0)
        expect(drift).toBeLessThanOrEqual(2 + 1e-12)
      }),
      { numRuns: 60 },
    )
  })
})
