// fast-check generators for the selection properties: projects mixing human and model sources at depths 0–5,
// accepted candidates of generations 0–4, texts drawn from a small vocabulary so exact and near duplicates
// happen often, probe sample ids and texts, and mix policies with every constraint on or off.
import fc from 'fast-check'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import type { SelectionInput } from '@shared/export/selection/items'
import { makeRecord } from './selection-factory'

const vocabulary = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'river', 'stone', 'quiet', 'blue', 'ran', 'home']
const base = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 14 }).map((w) => w.join(' '))
/** Some texts repeat exactly (modulo spacing), some differ by one word, most are fresh. */
const text = fc.oneof(
  base,
  fc.constantFrom('the cat sat on the mat', 'the  cat sat on the\nmat', 'the cat sat on the mat today'),
)

const recordArb = (id: string) =>
  fc
    .record({
      origin: fc.constantFrom('human', 'human', 'model', 'unknown'),
      modelDepth: fc.integer({ min: 1, max: 5 }),
      text,
      finalText: text,
      status: fc.constantFrom('selected', 'edited', 'selected', 'rejected', 'skipped', 'unreviewed'),
      generation: fc.integer({ min: 0, max: 4 }),
      model: fc.constantFrom('m-a', 'm-b'),
      flags: fc.subarray(['generic', 'style-tic']),
    })
    .map((r): SelectionInput =>
      makeRecord({
        id,
        origin: r.origin,
        depth: r.origin === 'human' ? 0 : r.origin === 'model' ? r.modelDepth - 1 : null,
        text: r.text,
        status: r.status,
        finalText: r.finalText,
        generation: r.generation,
        model: r.model,
        flags: r.flags,
      }),
    )

export const projectArb: fc.Arbitrary<SelectionInput[]> = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => recordArb(`s${String(i).padStart(2, '0')}`))))

const share = fc.oneof(fc.constant(null), fc.double({ min: 0.05, max: 1, noNaN: true }))

export const specArb: fc.Arbitrary<DatasetSpec> = fc
  .record({
    accumulate: fc.boolean(),
    minHumanShare: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true })),
    maxSyntheticDepth: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 })),
    maxSharePerGeneration: share,
    testFraction: fc.double({ min: 0, max: 0.9, noNaN: true }),
    seed: fc.nat(),
    exact: fc.boolean(),
    near: fc.boolean(),
    excludeGeneric: fc.boolean(),
    negatives: fc.boolean(),
    origins: fc.oneof(fc.constant(null), fc.subarray(['human', 'model', 'unknown'] as const)),
    maxFilterDepth: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 })),
  })
  .map((r) => ({
    ...defaultDatasetSpec,
    filter: {
      ...defaultDatasetSpec.filter,
      excludeFlagReasons: r.excludeGeneric ? ['generic'] : [],
      negatives: r.negatives,
      origins: r.origins,
      depth: r.maxFilterDepth === null ? null : { min: 0, max: r.maxFilterDepth },
    },
    split: { testFraction: r.testFraction, seed: r.seed },
    mix: {
      accumulate: r.accumulate,
      minHumanShare: r.minHumanShare,
      maxSyntheticDepth: r.maxSyntheticDepth,
      maxSharePerGeneration: r.maxSharePerGeneration,
    },
    dedup: { exact: r.exact, nearDuplicate: r.near ? { threshold: 0.8, numPerm: 64, shingle: 2 } : null },
  }))
