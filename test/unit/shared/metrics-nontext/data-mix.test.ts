// Data-mix metrics for a training snapshot: a seven-item snapshot worked through by hand, then properties —
// shares in [0, 1], depth shares summing to 1, order invariance, and that dropping an original is detected.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { summarizeDataMix } from '@shared/metrics/mix/data-mix'
import { realDataRetained, realFraction } from '@shared/metrics/mix/real-data'
import type { TrainingItem } from '@shared/metrics/mix/training-item'

const item = (
  id: string,
  origin: TrainingItem['origin'],
  depth: number | null,
  text: string,
  editDistance: number | null = null,
  temperature: number | null = null,
): TrainingItem => ({ id, origin, depth, text, editDistance, temperature })

const originals = ['h1', 'h2', 'h3']
const snapshot = [
  item('h1', 'human', 0, 'a b c d'),
  item('h2', 'human', 0, 'a b'),
  item('h4', 'human', 0, 'new human text'),
  item('m1', 'model', 1, 'x y z w v', 0.5, 0.7),
  item('m2', 'model', 2, 'p q', 0.1, 0.7),
  item('m3', 'model', 3, 'r s t u', null, 1),
  item('u1', 'unknown', null, 'k'),
]

describe('summarizeDataMix, golden values (21 words in all; tolerance 1e-12)', () => {
  const mix = summarizeDataMix(snapshot, originals)

  it('sees that one original (h3) was dropped: 2 of 3 retained', () => {
    expect(mix.realDataRetained).toEqual({
      originals: 3,
      retained: 2,
      retainedShare: 2 / 3,
      isAllRetained: false,
    })
  })

  it('counts real data by tokens: 4 + 2 + 3 = 9 of 21 words, ρ = 3/7', () => {
    expect(mix.realFraction).toEqual({ realCount: 3, realTokens: 9, totalTokens: 21, realFraction: 9 / 21 })
  })

  it('bins depth by token share, unknown last; mass at depth ≥ 2 is (2 + 4) / 21', () => {
    expect(mix.depth.bins.map((b) => [b.depth, b.items])).toEqual([
      [0, 3],
      [1, 1],
      [2, 1],
      [3, 1],
      [null, 1],
    ])
    expect(mix.depth.bins.map((b) => b.tokenShare * 21)).toEqual(
      [9, 5, 2, 4, 1].map((x) => expect.closeTo(x, 12) as unknown),
    )
    expect(mix.depth.massAtDepth2Plus).toBeCloseTo(6 / 21, 12)
  })

  it('counts fresh human input: the new human item h4 and the heavily edited m1 (0.5 > 0.3), 2 of 7', () => {
    expect(mix.freshHumanShare).toBeCloseTo(2 / 7, 12)
  })

  it('mixes temperatures over the four non-human items: 0.7 twice, 1 once, one unrecorded', () => {
    expect(mix.temperature).toEqual({
      syntheticItems: 4,
      bins: [
        { temperature: 0.7, items: 2, share: 0.5 },
        { temperature: 1, items: 1, share: 0.25 },
        { temperature: null, items: 1, share: 0.25 },
      ],
      belowOneShare: 0.5,
      aboveOneShare: 0,
    })
  })

  it('has nothing to retain without originals, and no fractions for an empty snapshot', () => {
    expect(realDataRetained(snapshot, []).isAllRetained).toBeNull()
    const empty = summarizeDataMix([], originals)
    expect(empty.realDataRetained.isAllRetained).toBe(false)
    expect(empty.realFraction.realFraction).toBeNull()
    expect(empty.depth.massAtDepth2Plus).toBeNull()
    expect(empty.freshHumanShare).toBeNull()
    expect(empty.temperature.belowOneShare).toBeNull()
  })
})

const arbitraryItem = fc
  .record({
    id: fc.constantFrom('h1', 'h2', 'h3', 'h4', 'm1', 'm2', 'm3'),
    origin: fc.constantFrom('human' as const, 'model' as const, 'unknown' as const),
    depth: fc.option(fc.integer({ min: 0, max: 4 })),
    text: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }).map((w) => w.join(' ')),
    editDistance: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    temperature: fc.option(fc.constantFrom(0.5, 0.7, 1, 1.2)),
  })
  .map((r): TrainingItem => r)

describe('data-mix properties', () => {
  it('shares lie in [0, 1], depth shares sum to 1, and item order does not matter', () => {
    fc.assert(
      fc.property(
        fc
          .array(arbitraryItem, { maxLength: 10 })
          .chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
        ([set, shuffled]) => {
          const mix = summarizeDataMix(set, originals)
          for (const value of [
            mix.realDataRetained.retainedShare,
            mix.realFraction.realFraction,
            mix.depth.massAtDepth2Plus,
            mix.freshHumanShare,
            mix.temperature.belowOneShare,
            mix.temperature.aboveOneShare,
          ]) {
            if (value === null) continue
            expect(value).toBeGreaterThanOrEqual(0)
            expect(value).toBeLessThanOrEqual(1 + 1e-12)
          }
          if (mix.realFraction.totalTokens > 0) {
            expect(mix.depth.bins.reduce((s, b) => s + b.tokenShare, 0)).toBeCloseTo(1, 12)
          }
          const again = summarizeDataMix(shuffled, originals)
          expect(again.realDataRetained).toEqual(mix.realDataRetained)
          expect(again.realFraction).toEqual(mix.realFraction)
          expect(again.depth.bins.map((b) => [b.depth, b.items])).toEqual(
            mix.depth.bins.map((b) => [b.depth, b.items]),
          )
          expect(again.temperature).toEqual(mix.temperature)
          expect(again.freshHumanShare).toBe(mix.freshHumanShare)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('dropping any original human item is seen; adding model text never raises ρ', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryItem, { maxLength: 8 }),
        fc.constantFrom(...originals),
        (extra, dropped) => {
          const full = [...originals.map((id) => item(id, 'human', 0, 'a b')), ...extra]
          expect(realDataRetained(full, originals).isAllRetained).toBe(true)
          const without = full.filter((i) => i.id !== dropped)
          expect(realDataRetained(without, originals).isAllRetained).toBe(false)
          const before = realFraction(full).realFraction ?? 0
          const after = realFraction([...full, item('m9', 'model', 1, 'c c c')]).realFraction ?? 0
          expect(after).toBeLessThanOrEqual(before)
        },
      ),
      { numRuns: 60 },
    )
  })
})
