// Bootstrap bands: the half-sample scheme's spread matches a mean's sampling spread (the reason it is used),
// the percentile bootstrap does too, both are deterministic for a seed, half-samples never repeat an item,
// and a deviation band always contains the full figure.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { seededRandom } from '@shared/domain/seeded-random'
import { bootstrapBands, deviationBand, halfSampleBands, halfSamples } from '@shared/metrics/bootstrap/bands'
import {
  confidenceParts,
  poolConfidence,
  summarizeConfidence,
} from '@shared/metrics/confidence/confidence-summary'

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

describe('bands for a mean: golden against the normal interval ±1.645 σ/√n (tolerance 12 %)', () => {
  const random = seededRandom(7)
  const values = Array.from({ length: 400 }, () => random() * 10)
  const sd = Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)))
  const expected = 1.645 * (sd / Math.sqrt(values.length))

  it('half-sample band', () => {
    const bands = halfSampleBands(values, { mean: mean(values) }, (half) => ({ mean: mean(half) }), {
      rounds: 2000,
      seed: 3,
    })
    const band = bands.mean!
    expect((band.high - band.low) / 2 / expected).toBeGreaterThan(0.88)
    expect((band.high - band.low) / 2 / expected).toBeLessThan(1.12)
  })

  it('percentile bootstrap band', () => {
    const band = bootstrapBands(values, (xs) => ({ mean: mean(xs) }), { rounds: 2000, seed: 3 }).mean!
    expect((band.high - band.low) / 2 / expected).toBeGreaterThan(0.88)
    expect((band.high - band.low) / 2 / expected).toBeLessThan(1.12)
    expect(band.low).toBeLessThan(mean(values))
    expect(band.high).toBeGreaterThan(mean(values))
  })
})

describe('bands, properties', () => {
  it('half-samples hold ⌊n/2⌋ distinct items, and the same seed gives the same draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 200 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const draws = halfSamples(n, 5, seed)
        expect(draws).toEqual(halfSamples(n, 5, seed))
        for (const draw of draws) {
          expect(new Set(draw).size).toBe(Math.floor(n / 2))
          expect(draw.every((i) => i >= 0 && i < n)).toBe(true)
        }
      }),
    )
    expect(halfSamples(3, 5, 1)).toEqual([])
  })

  it('a deviation band contains the full figure', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }),
        (full, values) => {
          const band = deviationBand(full, values)!
          expect(band.low).toBeLessThanOrEqual(full + 1e-6)
          expect(band.high).toBeGreaterThanOrEqual(full - 1e-6)
        },
      ),
    )
  })

  it('gives no band to a single item or a missing figure', () => {
    expect(bootstrapBands([1], (xs) => ({ mean: mean(xs) }), { rounds: 10, seed: 1 })).toEqual({})
    expect(bootstrapBands([1, 2, 3], () => ({ gone: null }), { rounds: 10, seed: 1 })).toEqual({})
  })
})

describe('confidence parts', () => {
  it('pool to the same summary as the samples taken together, in any grouping', () => {
    const a = {
      logprobs: [-0.1, -2],
      topLogprobs: [
        [-0.1, -3],
        [-2, -0.5, -1],
      ],
    }
    const b = { logprobs: [-0.01], topLogprobs: [[-0.01, -5]] }
    const whole = summarizeConfidence([a, b])!
    const pooled = poolConfidence([confidenceParts(a), confidenceParts(b)])!
    for (const key of Object.keys(whole) as (keyof typeof whole)[])
      expect(pooled[key]).toBeCloseTo(whole[key] as number, 12)
    expect(whole.positions).toBe(3)
    expect(whole.selfPerplexity).toBeCloseTo(Math.exp((0.1 + 2 + 0.01) / 3), 12)
  })
})
