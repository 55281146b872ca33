// The bar's properties over generated projects: the exported human share, depth and per-generation shares obey
// the mix policy; with "accumulate" every human original is present; no probe or reference sample ever
// reaches train, with or without an override; and the snapshot does not depend on input order.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import { normaliseText } from '@shared/export/selection/dedup'
import type { SelectionInput, SelectionItem } from '@shared/export/selection/items'
import { itemsOf, negativeOf } from '@shared/export/selection/items'
import type { ProtectedSets } from '@shared/export/selection/probe-guard'
import { noProtectedSets, protectedTextHash } from '@shared/export/selection/probe-guard'
import type { Selection } from '@shared/export/selection/select-dataset'
import { selectDataset } from '@shared/export/selection/select-dataset'
import { projectArb, specArb } from './arbitraries'

const runs = { numRuns: 300 }

function selectOk(inputs: SelectionInput[], spec: DatasetSpec, sets = noProtectedSets): Selection {
  const outcome = selectDataset(inputs, spec, sets)
  if (!outcome.ok) throw new Error('refused without protected sets')
  return outcome.selection
}

describe('selectDataset: the mix policy holds exactly', () => {
  it('human share ≥ min, no item deeper than max (or of unknown depth), each generation ≤ its cap', () => {
    fc.assert(
      fc.property(projectArb, specArb, (inputs, spec) => {
        const { train, test, preview } = selectOk(inputs, spec)
        const all = [...train, ...test]
        const humans = all.filter((item) => item.origin === 'human').length
        const { minHumanShare, maxSyntheticDepth, maxSharePerGeneration } = spec.mix
        if (all.length > 0 && minHumanShare !== null)
          expect(humans / all.length).toBeGreaterThanOrEqual(minHumanShare)
        if (all.length > 0) expect(preview.humanShare).toBe(humans / all.length)
        if (maxSyntheticDepth !== null)
          for (const item of all) {
            expect(item.depth).not.toBeNull()
            expect(item.depth ?? Infinity).toBeLessThanOrEqual(maxSyntheticDepth)
          }
        const perGeneration = new Map<number | null, number>()
        for (const item of all)
          if (item.origin === 'synthetic')
            perGeneration.set(item.generation, (perGeneration.get(item.generation) ?? 0) + 1)
        if (maxSharePerGeneration !== null)
          for (const count of perGeneration.values())
            expect(count / all.length).toBeLessThanOrEqual(maxSharePerGeneration)
        const histogramTotal = Object.values(preview.depthHistogram).reduce((a, b) => a + b, 0)
        expect(histogramTotal).toBe(all.length)
      }),
      runs,
    )
  })

  it('with accumulate, every human original is present (itself, or an exact copy under exact dedup)', () => {
    fc.assert(
      fc.property(projectArb, specArb, (inputs, spec) => {
        const accumulate = { ...spec, mix: { ...spec.mix, accumulate: true } }
        const { train, test } = selectOk(inputs, accumulate)
        const exported = [...train, ...test].filter((item) => item.kind === 'human-original')
        const ids = new Set(exported.map((item) => item.id))
        const texts = new Set(exported.map((item) => normaliseText(item.text)))
        for (const item of inputs.flatMap(itemsOf).filter((i) => i.kind === 'human-original')) {
          if (accumulate.dedup.exact) expect(texts.has(normaliseText(item.text))).toBe(true)
          else expect(ids.has(item.id)).toBe(true)
        }
      }),
      runs,
    )
  })

  it('every item is exported or dropped with a reason, exactly once', () => {
    fc.assert(
      fc.property(projectArb, specArb, (inputs, spec) => {
        const { train, test, negatives, dropped } = selectOk(inputs, spec)
        const negativeIds = [...negatives.train, ...negatives.test].map((id) => `negative:${id}`)
        const seen = [...train, ...test]
          .map((i) => i.id)
          .concat(
            negativeIds,
            dropped.flatMap((d) => d.ids),
          )
        const all = inputs
          .flatMap((input) => [...itemsOf(input), negativeOf(input)])
          .filter((i) => i !== null)
        expect(seen.sort()).toEqual(all.map((i) => i.id).sort())
      }),
      runs,
    )
  })
})

describe('selectDataset: probe and reference samples never reach train', () => {
  const withProbes = fc.tuple(projectArb, specArb, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean())

  function protectedOf(inputs: SelectionInput[], picks: number[], byText: boolean): ProtectedSets {
    sourceTexts = new Map(inputs.map((input) => [input.record.sampleId, input.record.source.text]))
    const chosen = picks
      .filter(() => inputs.length > 0)
      .map((n) => inputs[n % inputs.length] as SelectionInput)
    return {
      sampleIds: byText ? [] : chosen.map((input) => input.record.sampleId),
      textHashes: byText ? chosen.map((input) => protectedTextHash(input.record.source.text)) : [],
    }
  }
  const isProtected = (item: SelectionItem, sets: ProtectedSets): boolean =>
    sets.sampleIds.includes(item.sampleId) || sets.textHashes.includes(protectedTextHash(item.text))
  /** A negative's sample: its source is the prompt KTO and critique rows carry. */
  const isProtectedSample = (sampleId: string, sets: ProtectedSets): boolean =>
    sets.sampleIds.includes(sampleId) ||
    sets.textHashes.includes(protectedTextHash(sourceTexts.get(sampleId) ?? ''))
  let sourceTexts = new Map<string, string>()

  it('without an override the export is refused whenever an offender passes the filter', () => {
    fc.assert(
      fc.property(withProbes, ([inputs, spec, picks, byText]) => {
        const sets = protectedOf(inputs, picks, byText)
        const outcome = selectDataset(inputs, { ...spec, probeOverride: null }, sets)
        if (outcome.ok) {
          for (const item of [...outcome.selection.train, ...outcome.selection.test])
            expect(isProtected(item, sets)).toBe(false)
          const { negatives } = outcome.selection
          for (const id of [...negatives.train, ...negatives.test])
            expect(isProtectedSample(id, sets)).toBe(false)
        } else expect(outcome.error.offenders.length).toBeGreaterThan(0)
      }),
      runs,
    )
  })

  it('with an override they are exported to test only, and the snapshot warns', () => {
    fc.assert(
      fc.property(withProbes, ([inputs, spec, picks, byText]) => {
        const sets = protectedOf(inputs, picks, byText)
        const override = { allowed: true, reason: 'ablation' }
        const { train, test, negatives, warnings, overridden } = selectOk(
          inputs,
          { ...spec, probeOverride: override },
          sets,
        )
        for (const item of train) expect(isProtected(item, sets)).toBe(false)
        for (const id of negatives.train) expect(isProtectedSample(id, sets)).toBe(false)
        const offendingSamples = new Set(overridden.map((o) => o.sampleId))
        for (const item of train) expect(offendingSamples.has(item.sampleId)).toBe(false)
        if (overridden.length > 0)
          expect(warnings.some((w) => w.startsWith('PROBE/REFERENCE OVERRIDE'))).toBe(true)
        for (const item of [...train, ...test].filter((i) => isProtected(i, sets)))
          expect(test.map((i) => i.id)).toContain(item.id)
      }),
      runs,
    )
  })
})

describe('selectDataset: the split', () => {
  it('is the same for any order of the input records', () => {
    fc.assert(
      fc.property(
        projectArb.chain((inputs) =>
          fc.tuple(fc.constant(inputs), fc.shuffledSubarray(inputs, { minLength: inputs.length })),
        ),
        specArb,
        ([inputs, shuffled], spec) => {
          expect(selectOk(shuffled, spec)).toEqual(selectOk(inputs, spec))
        },
      ),
      runs,
    )
  })

  it('never puts one sample in both splits, and a sample keeps its split when others are removed', () => {
    fc.assert(
      fc.property(projectArb, specArb, fc.nat(), (inputs, spec, cut) => {
        const noMix = {
          ...spec,
          mix: { ...spec.mix, minHumanShare: null, maxSharePerGeneration: null },
          dedup: { exact: false, nearDuplicate: null },
        }
        const whole = selectOk(inputs, noMix)
        const trainSamples = new Set(whole.train.map((i) => i.sampleId))
        for (const item of whole.test) expect(trainSamples.has(item.sampleId)).toBe(false)
        const part = selectOk(inputs.slice(cut % (inputs.length + 1)), noMix)
        for (const item of part.train) expect(trainSamples.has(item.sampleId)).toBe(true)
      }),
      runs,
    )
  })
})
