// The data mix along a lineage, from the train splits of the snapshots the generations name: which human
// originals count as the earlier generations' (ancestors only, plus the prompts a set drew on), fresh human
// data relative to the ancestors, the human-only baseline, and the rebuilt split checked against the export's.
import { describe, expect, it } from 'vitest'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import type { ExportRecord } from '@shared/export/export-record'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import type { TrainingItem } from '@shared/metrics/mix/training-item'
import { lineageMix, type GenerationDataMix } from '@shared/monitor/lineage-mix'
import { snapshotTraining, type SnapshotTraining } from '@shared/monitor/snapshot-training'

const human = (id: string): TrainingItem => ({
  id,
  origin: 'human',
  depth: 0,
  text: `human text ${id}`,
  editDistance: null,
  temperature: null,
})
const model = (id: string): TrainingItem => ({
  id: `accepted:${id}`,
  origin: 'model',
  depth: 1,
  text: `model text ${id}`,
  editDistance: null,
  temperature: 1,
})

const training = (
  id: string,
  kept: string[],
  drewOn: string[],
  extra: TrainingItem[] = [],
): SnapshotTraining => ({
  snapshotId: id,
  snapshotName: id,
  items: [...kept.map(human), ...extra],
  humanSampleIds: drewOn,
  keptHumanOriginalIds: kept,
  note: null,
})

const generation = (
  id: string,
  n: number,
  parentId: string | null,
  trainingSnapshotId: string | null,
): Pick<ModelGenerationRecord, 'id' | 'generation' | 'parentId' | 'trainingSnapshotId'> => ({
  id,
  generation: n,
  parentId,
  trainingSnapshotId,
})

const missingOf = (entry: GenerationDataMix | { missing: string } | undefined): string =>
  entry !== undefined && 'missing' in entry ? entry.missing : ''

const mixOf = (entry: GenerationDataMix | { missing: string } | undefined) => {
  if (entry === undefined || 'missing' in entry) throw new Error('no mix')
  return entry
}

/** snapshotTraining for a snapshot it can rebuild. */
const rebuild = (...args: Parameters<typeof snapshotTraining>) => {
  const result = snapshotTraining(...args)
  if (result === null) throw new Error('the snapshot could not be rebuilt')
  return result
}

describe('lineageMix', () => {
  it('counts the ancestors’ human originals as the ones to keep, and sees a sibling’s as none of its business', () => {
    const trainings = new Map([
      ['s1', training('s1', ['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'], [model('a')])],
      // Generation 2 keeps only a and b of generation 1's four originals: half the real data is gone.
      ['s2', training('s2', ['a', 'b'], ['a', 'b'], [model('a'), model('b')])],
      // A sibling of generation 1 trained on e only: its originals are e, not generation 1's.
      ['s3', training('s3', ['e'], ['e'])],
    ])
    const result = lineageMix(
      [
        generation('g0', 0, null, null),
        generation('g1', 1, 'g0', 's1'),
        generation('g2', 2, 'g1', 's2'),
        generation('g1b', 1, 'g0', 's3'),
      ],
      trainings,
    )
    expect(result.isBaselineHumanOnly).toBe(true)
    const g1 = mixOf(result.byGeneration.get('g1'))
    expect(g1.mix.realDataRetained).toMatchObject({ originals: 4, retained: 4 })
    expect(g1.mix.freshHumanShare).toBeCloseTo(4 / 5, 12)
    expect(g1.assessment?.state).toBe('healthy')
    const g2 = mixOf(result.byGeneration.get('g2'))
    expect(g2.mix.realDataRetained).toMatchObject({ originals: 4, retained: 2, retainedShare: 0.5 })
    // a and b were already in generation 1's set: nothing fresh.
    expect(g2.mix.freshHumanShare).toBe(0)
    expect(g2.assessment?.state).toBe('alarm')
    expect(g2.assessment?.sentence).toMatch(/dropped the human originals \(2 of 4 human originals kept\)/)
    expect(mixOf(result.byGeneration.get('g1b')).mix.realDataRetained).toMatchObject({
      originals: 1,
      retained: 1,
    })
    expect(missingOf(result.byGeneration.get('g0'))).toMatch(/human-only data/)
  })

  it('grades against generation 0’s own training set when it has one', () => {
    const trainings = new Map([
      ['s0', training('s0', ['a'], ['a'], [model('a'), model('b'), model('c')])],
      ['s1', training('s1', ['a'], ['a'], [model('a'), model('b'), model('c')])],
    ])
    const result = lineageMix([generation('g0', 0, null, 's0'), generation('g1', 1, 'g0', 's1')], trainings)
    expect(result.isBaselineHumanOnly).toBe(false)
    expect(result.baseline.realFraction.realFraction).toBeCloseTo(1 / 4, 1)
    expect(mixOf(result.byGeneration.get('g1')).assessment?.state).toBe('healthy')
  })

  it('says why a generation has no mix', () => {
    const result = lineageMix(
      [generation('g0', 0, null, null), generation('g1', 1, 'g0', 'gone'), generation('g2', 2, 'g1', null)],
      new Map(),
    )
    expect(missingOf(result.byGeneration.get('g1'))).toMatch(/not in this project/)
    expect(missingOf(result.byGeneration.get('g2'))).toMatch(/No training dataset/)
  })
})

const record = (sampleId: string, accepted: boolean): ExportRecord => ({
  sampleId,
  externalId: null,
  source: { text: `the human text of ${sampleId}`, meta: {}, origin: 'human', depth: 0 },
  candidates: accepted
    ? [
        {
          id: `c-${sampleId}`,
          text: `a model rewrite of ${sampleId}`,
          thinking: null,
          model: 'm',
          generationId: 1,
          sampling: { temperature: 0.5, topP: null, topK: null, seed: 1, maxTokens: null, stop: [] },
          prompt: { mode: 'raw', text: 'x' },
          logprobs: null,
        },
      ]
    : [],
  review: accepted
    ? {
        status: 'selected',
        chosenCandidateId: `c-${sampleId}`,
        finalText: `a model rewrite of ${sampleId}`,
        negativeIds: [],
        flags: [],
      }
    : { status: 'unreviewed', chosenCandidateId: null, finalText: null, negativeIds: [], flags: [] },
})

describe('snapshotTraining', () => {
  const inputs = ['s1', 's2', 's3'].map((id, i) => ({
    record: record(id, i < 2),
    tags: [],
    reviewedAt: null,
  }))
  const spec = {
    ...defaultDatasetSpec,
    split: { testFraction: 0, seed: 0 },
    mix: { ...defaultDatasetSpec.mix, accumulate: false },
    filter: { ...defaultDatasetSpec.filter, origins: ['human' as const], depth: { min: 1, max: 5 } },
  }

  it('rebuilds the items the export kept: accepted texts only when the originals were filtered out', () => {
    const result = rebuild(
      { id: 'snap', name: 'replace', spec, splits: { train: ['s1', 's2'], test: [] } },
      inputs,
    )
    expect(result.items.map((i) => [i.id, i.origin, i.depth, i.temperature])).toEqual([
      ['accepted:s1', 'model', 1, 0.5],
      ['accepted:s2', 'model', 1, 0.5],
    ])
    expect(result.humanSampleIds).toEqual(['s1', 's2'])
    expect(result.keptHumanOriginalIds).toEqual([])
    expect(result.note).toBeNull()
  })

  it('says so when the log no longer gives the split the export recorded', () => {
    const result = rebuild(
      { id: 'snap', name: 'replace', spec, splits: { train: ['s1', 's2', 's3'], test: [] } },
      inputs,
    )
    expect(result.note).toMatch(/2 samples and the export recorded 3 \(2 in both\)/)
  })
})

describe('snapshotTraining and the frozen sets', () => {
  it('gives null for a snapshot whose spec this version cannot read, rather than failing the report', () => {
    const unreadable = { id: 'x', name: 'hand-made', spec: {}, splits: { train: ['s1'], test: [] } }
    expect(snapshotTraining(unreadable as never, inputs, sets)).toBeNull()
  })

  const inputs = ['s1', 's2', 's3'].map((id) => ({ record: record(id, false), tags: [], reviewedAt: null }))
  const spec = { ...defaultDatasetSpec, split: { testFraction: 0, seed: 0 } }
  const sets = { sampleIds: ['s3'], textHashes: [] }

  it('leaves out a protected human original, as an export after the freeze did', () => {
    const after = rebuild(
      { id: 'a', name: 'after', spec, splits: { train: ['s1', 's2'], test: [] } },
      inputs,
      sets,
    )
    expect(after.keptHumanOriginalIds).toEqual(['s1', 's2'])
    expect(after.note).toBeNull()
  })

  it('keeps it for an export made before the freeze, whose split has it', () => {
    const before = rebuild(
      { id: 'b', name: 'before', spec, splits: { train: ['s1', 's2', 's3'], test: [] } },
      inputs,
      sets,
    )
    expect(before.keptHumanOriginalIds).toEqual(['s1', 's2', 's3'])
    expect(before.note).toBeNull()
  })
})
