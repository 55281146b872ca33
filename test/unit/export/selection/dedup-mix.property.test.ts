// Dedup and the mix policy on their own: dedup is idempotent, order-independent and leaves no two items with
// the same normalised text; the generation cap is the exact largest count; the mix keeps as many synthetic
// items as the constraints allow (one more would break the human share) and drops nothing unconstrained.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dedupItems, normaliseText } from '@shared/export/selection/dedup'
import type { SelectionItem } from '@shared/export/selection/items'
import { itemsOf } from '@shared/export/selection/items'
import { applyMixPolicy, generationCap } from '@shared/export/selection/mix-policy'
import { projectArb, specArb } from './arbitraries'

const runs = { numRuns: 300 }
const itemsArb = projectArb.map((inputs) => inputs.flatMap(itemsOf))
const ids = (items: readonly SelectionItem[]): string[] => items.map((i) => i.id)

describe('dedupItems', () => {
  it('is idempotent and independent of input order', () => {
    fc.assert(
      fc.property(
        itemsArb.chain((items) =>
          fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length })),
        ),
        specArb,
        fc.boolean(),
        ([items, shuffled], spec, protect) => {
          const once = dedupItems(items, spec.dedup, spec.split.seed, protect)
          const twice = dedupItems(once.kept, spec.dedup, spec.split.seed, protect)
          expect(ids(twice.kept)).toEqual(ids(once.kept))
          expect(twice.duplicates).toEqual([])
          expect(dedupItems(shuffled, spec.dedup, spec.split.seed, protect)).toEqual(once)
        },
      ),
      runs,
    )
  })

  it('leaves no exact duplicates, keeps the human when a synthetic copies it, and points each drop at a kept item', () => {
    fc.assert(
      fc.property(itemsArb, fc.nat(), fc.boolean(), (items, seed, protect) => {
        const spec = { exact: true, nearDuplicate: { threshold: 0.8, numPerm: 64, shingle: 2 } }
        const { kept, duplicates } = dedupItems(items, spec, seed, protect)
        const texts = kept.map((i) => normaliseText(i.text))
        expect(new Set(texts).size).toBe(texts.length)
        const keptIds = new Set(ids(kept))
        for (const d of duplicates) expect(keptIds.has(d.keptId)).toBe(true)
        for (const human of items.filter((i) => i.origin === 'human')) {
          const same = kept.find((i) => normaliseText(i.text) === normaliseText(human.text))
          if (protect) expect(same?.origin).toBe('human')
        }
      }),
      runs,
    )
  })
})

describe('generationCap', () => {
  it('is the largest k with k / total ≤ share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (total, share) => {
          const k = generationCap(total, share)
          expect(k / total).toBeLessThanOrEqual(share)
          if (k < total) expect((k + 1) / total).toBeGreaterThan(share)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('applyMixPolicy', () => {
  it('drops only synthetic items, and none when no constraint is set', () => {
    fc.assert(
      fc.property(itemsArb, fc.nat(), (items, seed) => {
        const none = {
          accumulate: true,
          minHumanShare: null,
          maxSyntheticDepth: null,
          maxSharePerGeneration: null,
        }
        expect(applyMixPolicy(items, none, seed).dropped).toEqual([])
      }),
      runs,
    )
  })

  it('keeps the most synthetic items a minimum human share allows', () => {
    fc.assert(
      fc.property(itemsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (items, min, seed) => {
        const policy = {
          accumulate: true,
          minHumanShare: min,
          maxSyntheticDepth: null,
          maxSharePerGeneration: null,
        }
        const { kept, dropped } = applyMixPolicy(items, policy, seed)
        const humans = kept.filter((i) => i.origin === 'human').length
        expect(humans).toBe(items.filter((i) => i.origin === 'human').length)
        if (kept.length > 0) expect(humans / kept.length).toBeGreaterThanOrEqual(min)
        // One more synthetic item would break the share: the policy dropped no more than it had to.
        if (dropped.length > 0) expect(humans / (kept.length + 1)).toBeLessThan(min)
      }),
      runs,
    )
  })

  it('keeps shallower synthetic items before deeper ones', () => {
    fc.assert(
      fc.property(itemsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (items, min, seed) => {
        const policy = {
          accumulate: true,
          minHumanShare: min,
          maxSyntheticDepth: null,
          maxSharePerGeneration: null,
        }
        const { kept, dropped } = applyMixPolicy(items, policy, seed)
        const depth = (i: SelectionItem | undefined): number => i?.depth ?? Infinity
        const byId = new Map(items.map((i) => [i.id, i]))
        const deepestKept = Math.max(-1, ...kept.filter((i) => i.origin === 'synthetic').map(depth))
        for (const d of dropped) expect(depth(byId.get(d.itemId))).toBeGreaterThanOrEqual(deepestKept)
      }),
      runs,
    )
  })
})
