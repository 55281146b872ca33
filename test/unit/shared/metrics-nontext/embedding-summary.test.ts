// One generation's embedding summary: worked by hand on orthonormal and repeated vectors (Vendi n and 1,
// pairwise distance 1 and 0, spread within a prompt's candidates), the centroid and the distance between
// centroids, and the half-sample bands (deterministic, holding the figure).
import { describe, expect, it } from 'vitest'
import {
  centroidDistance,
  embeddingFigures,
  embeddingSummary,
  unitCentroid,
} from '@shared/metrics/embeddings/embedding-summary'

const basis = (i: number, d = 4) => Float32Array.from({ length: d }, (_, k) => (k === i ? 1 : 0))

describe('embeddingFigures, golden (tolerance 1e-9)', () => {
  it('orthonormal samples in two prompts: Vendi 4, distance 1, spread 1, centroid ¼ each', () => {
    const samples = [0, 1, 2, 3].map((i) => ({ group: i < 2 ? 'p1' : 'p2', vector: basis(i) }))
    const f = embeddingFigures(samples, [basis(0)], 1)
    expect(f.vendi2).toBeCloseTo(4, 9)
    expect(f.vendi1).toBeCloseTo(4, 9)
    expect(f.meanPairwiseCosineDistance).toBeCloseTo(1, 9)
    expect(f.withinInputSpread).toBeCloseTo(1, 9)
    // ‖(¼,¼,¼,¼) − (1,0,0,0)‖ = √(9/16 + 3/16) = √3 / 2.
    expect(f.centroidDriftToReference).toBeCloseTo(Math.sqrt(3) / 2, 9)
    expect(unitCentroid(samples.map((s) => s.vector))).toEqual([0.25, 0.25, 0.25, 0.25])
  })

  it('one repeated direction: Vendi 1, no distance, no spread', () => {
    const samples = [0, 1, 2].map((i) => ({ group: `p${i % 2}`, vector: basis(2) }))
    const f = embeddingFigures(samples, [basis(2)], 1)
    expect(f.vendi2).toBeCloseTo(1, 9)
    expect(f.meanPairwiseCosineDistance).toBeCloseTo(0, 9)
    expect(f.withinInputSpread).toBeCloseTo(0, 9)
    expect(f.centroidDriftToReference).toBeCloseTo(0, 9)
  })

  it('measures the distance between centroids, and none across dimensions', () => {
    expect(centroidDistance([0, 0, 1], [0, 1, 1])).toBe(1)
    expect(centroidDistance([0, 1], [0, 1, 1])).toBeNull()
    expect(centroidDistance([], [])).toBeNull()
  })
})

describe('embeddingSummary', () => {
  const samples = Array.from({ length: 24 }, (_, i) => ({
    group: `p${i % 8}`,
    vector: Float32Array.from({ length: 6 }, (_, k) => Math.sin(i * 1.3 + k * 0.7) + (k === i % 6 ? 1 : 0)),
  }))
  const reference = [basis(0, 6), basis(3, 6)]

  it('bands each figure around its value, the same for the same seed; MAUVE says why it is missing', async () => {
    const summary = await embeddingSummary(samples, reference, { seed: 2, rounds: 12 })
    for (const key of ['vendi2', 'vendi1', 'meanPairwiseCosineDistance', 'withinInputSpread'] as const) {
      const band = summary.bands[key]!
      expect(band.low, key).toBeLessThanOrEqual(summary[key]! + 1e-12)
      expect(band.high, key).toBeGreaterThanOrEqual(summary[key]! - 1e-12)
    }
    expect(summary.mauve).toBeNull()
    expect(summary.mauveNote).toMatch(/at least 1000/)
    expect(await embeddingSummary(samples, reference, { seed: 2, rounds: 12 })).toEqual(summary)
  })
})
