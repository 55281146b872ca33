// MAUVE: the divergence frontier and its area against values from an independent NumPy transcription of the
// reference code (get_divergence_curve_for_multinomials + sklearn auc), then end to end on clustered points.
import { describe, expect, it } from 'vitest'
import { mauveFromHistograms, divergenceCurve } from '@shared/metrics/embeddings/mauve-curve'
import { mauve } from '@shared/metrics/embeddings/mauve'
import { kMeans } from '@shared/metrics/embeddings/kmeans'
import { seededRandom } from '@shared/metrics/embeddings/seeded-random'

describe('mauveFromHistograms, golden values (c = 5, 25 weights; tolerance 1e-9)', () => {
  // NumPy: w in linspace(1e-6, 1 − 1e-6, 25), r = w·p + (1 − w)·q, points exp(−5·[KL(q‖r), KL(p‖r)]) with
  // end points (1, 0) and (0, 1), area by the trapezoid rule in that order.
  it('is exactly 1 for identical histograms', () => {
    expect(mauveFromHistograms([0.5, 0.5], [0.5, 0.5])).toBeCloseTo(1, 12)
  })

  it('matches the reference for overlapping histograms', () => {
    expect(mauveFromHistograms([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])).toBeCloseTo(0.8214099836116462, 9)
    expect(mauveFromHistograms([0.7, 0.2, 0.1, 0], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.154690499592644, 9)
  })

  it('is small for disjoint supports: points ((1 − w)⁵, w⁵), area 0.0040721 (continuum limit 5·B(5, 6) = 0.00397)', () => {
    expect(mauveFromHistograms([1, 0], [0, 1])).toBeCloseTo(0.0040720962619612555, 9)
  })

  it('runs from (1, 0) to (0, 1) with 25 interior points', () => {
    const curve = divergenceCurve([0.5, 0.5], [0.9, 0.1])
    expect(curve).toHaveLength(27)
    expect(curve[0]).toEqual([1, 0])
    expect(curve[26]).toEqual([0, 1])
  })
})

/** Points scattered tightly (±0.05) around the given centres, seeded. */
function clustered(centres: readonly number[][], perCentre: number, seed: number): Float32Array[] {
  const random = seededRandom(seed)
  return centres.flatMap((centre) =>
    Array.from({ length: perCentre }, () => Float32Array.from(centre, (x) => x + (random() - 0.5) * 0.1)),
  )
}

const e = (i: number) => Array.from({ length: 6 }, (_, j) => (j === i ? 1 : 0))

describe('mauve on embeddings', () => {
  it('refuses below 1000 points per side, with a reason', () => {
    const result = mauve(clustered([e(0)], 999, 1), clustered([e(0)], 1000, 2))
    expect(result.score).toBeNull()
    expect(result).toMatchObject({ reason: expect.stringContaining('1000') as unknown })
  })

  it('is 1 for the same set on both sides (tolerance 1e-9)', () => {
    const set = clustered([e(0), e(1), e(2), e(3)], 250, 3)
    expect(mauve(set, set.slice().reverse()).score).toBeCloseTo(1, 9)
  })

  it('is the disjoint-support value when samples and reference occupy different clusters', () => {
    // Every bucket then holds only one side, and KL(q‖r) = −ln(1 − w) whatever the bucket shapes: 0.0040721.
    const result = mauve(clustered([e(0), e(1)], 500, 4), clustered([e(2), e(3)], 500, 5))
    expect(result.score).toBeCloseTo(0.0040720962619612555, 6)
  })

  it('scores two draws of one distribution far above a draw that lost half the modes', () => {
    const reference = clustered([e(0), e(1), e(2), e(3)], 300, 6)
    const healthy = clustered([e(0), e(1), e(2), e(3)], 300, 7)
    const collapsed = clustered([e(0), e(1)], 600, 8)
    const good = mauve(healthy, reference).score ?? Number.NaN
    const bad = mauve(collapsed, reference).score ?? Number.NaN
    expect(good).toBeGreaterThan(0.8)
    expect(bad).toBeLessThan(0.5)
  })

  it('does not depend on the order of either input, and is deterministic', () => {
    const reference = clustered([e(0), e(1), e(2)], 400, 9)
    const samples = clustered([e(0), e(1), e(4)], 400, 10)
    const first = mauve(samples, reference).score
    expect(mauve(samples.slice().reverse(), reference.slice().reverse()).score).toBe(first)
    expect(mauve(samples, reference).score).toBe(first)
  })
})

describe('kMeans', () => {
  it('separates well-apart groups and stops with fewer clusters when points coincide', () => {
    const points = [
      [0, 0],
      [0, 0.1],
      [5, 5],
      [5, 5.1],
    ].map((p) => Float64Array.from(p))
    const { labels } = kMeans(points, { clusters: 2, maxIterations: 10, restarts: 1, seed: 1 })
    expect(labels[0]).toBe(labels[1])
    expect(labels[2]).toBe(labels[3])
    expect(labels[0]).not.toBe(labels[2])
    const same = [Float64Array.of(1, 1), Float64Array.of(1, 1)]
    expect(Array.from(kMeans(same, { clusters: 2, maxIterations: 10, restarts: 1, seed: 1 }).labels)).toEqual(
      [0, 0],
    )
  })
})
