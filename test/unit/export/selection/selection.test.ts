// Hand-computed cases for the selection pipeline: the numbers in each expectation are worked out in the
// comments, so a change in the policy's arithmetic shows up as a plain wrong number.
import { describe, expect, it } from 'vitest'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import { datasetSpec, defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import { dedupItems } from '@shared/export/selection/dedup'
import { itemsOf } from '@shared/export/selection/items'
import { applyMixPolicy } from '@shared/export/selection/mix-policy'
import { noProtectedSets } from '@shared/export/selection/probe-guard'
import type { Selection } from '@shared/export/selection/select-dataset'
import { selectDataset } from '@shared/export/selection/select-dataset'
import type { RecordSpec } from './selection-factory'
import { makeRecord } from './selection-factory'

const noDedup = { exact: false, nearDuplicate: null }
const spec = (over: Partial<DatasetSpec['mix']>, rest: Partial<DatasetSpec> = {}): DatasetSpec => ({
  ...defaultDatasetSpec,
  split: { testFraction: 0, seed: 7 },
  dedup: noDedup,
  mix: { ...defaultDatasetSpec.mix, ...over },
  ...rest,
})
const items = (specs: RecordSpec[]) => specs.map(makeRecord).flatMap(itemsOf)
const range = (n: number, f: (i: number) => RecordSpec): RecordSpec[] =>
  Array.from({ length: n }, (_, i) => f(i))
function select(specs: RecordSpec[], s: DatasetSpec): Selection {
  const outcome = selectDataset(specs.map(makeRecord), s, noProtectedSets)
  if (!outcome.ok) throw new Error('refused')
  return outcome.selection
}

describe('items', () => {
  it('a human source gives a human original at depth 0 and its accepted rewrite a synthetic item at depth 1', () => {
    const [human, accepted] = items([{ id: 'a', generation: 2 }])
    expect(human).toMatchObject({ id: 'human-original:a', origin: 'human', depth: 0, generation: null })
    expect(accepted).toMatchObject({ id: 'accepted:a', origin: 'synthetic', depth: 1, generation: 2 })
  })
  it('a model source of depth 2 gives only an accepted item at depth 3; unknown origin gives unknown depth', () => {
    expect(items([{ id: 'm', origin: 'model', depth: 2 }]).map((i) => [i.id, i.depth])).toEqual([
      ['accepted:m', 3],
    ])
    expect(items([{ id: 'u', origin: 'unknown' }]).map((i) => i.depth)).toEqual([null])
    expect(items([{ id: 'r', origin: 'model', status: 'rejected' }])).toEqual([])
  })
})

describe('mix policy, worked examples', () => {
  it('6 humans + 10 synthetic at min share 0.5 keep 6 synthetic (6/12 = 0.5)', () => {
    const s = select(
      range(16, (i) => (i < 6 ? { id: `h${i}`, status: 'rejected' } : { id: `m${i}`, origin: 'model' })),
      spec({ minHumanShare: 0.5 }),
    )
    expect(s.preview.counts.all).toEqual({ total: 12, human: 6, synthetic: 6 })
    expect(s.preview.humanShare).toBe(0.5)
    expect(s.dropped).toEqual([{ reason: 'mix:min-human-share', ids: expect.any(Array) as unknown }])
    expect(s.dropped[0]?.ids).toHaveLength(4)
  })
  it('3 humans + 10 synthetic at min share 0.3 keep 7 synthetic (3/10 = 0.3, 3/11 < 0.3)', () => {
    const s = select(
      range(13, (i) => (i < 3 ? { id: `h${i}`, status: 'skipped' } : { id: `m${i}`, origin: 'model' })),
      spec({ minHumanShare: 0.3 }),
    )
    expect(s.preview.counts.all).toEqual({ total: 10, human: 3, synthetic: 7 })
  })
  it('2 humans, 6 of generation 0 and 2 of generation 1 at cap 0.4 keep 2 + 2 (total 6; 2/6 ≤ 0.4, 7 would need 3/7 > 0.4)', () => {
    const specs = range(10, (i): RecordSpec =>
      i < 2
        ? { id: `h${i}`, status: 'rejected' }
        : { id: `m${i}`, origin: 'model', generation: i < 8 ? 0 : 1 },
    )
    const s = select(specs, spec({ maxSharePerGeneration: 0.4 }))
    expect(s.preview.generationCounts).toEqual({ '0': 2, '1': 2 })
    expect(s.preview.counts.all.total).toBe(6)
    expect(s.dropped).toEqual([{ reason: 'mix:generation-cap', ids: expect.any(Array) as unknown }])
  })
  it('max depth 1 drops depth-2 and unknown-depth items; the histogram shows what is left', () => {
    const s = select(
      [{ id: 'h' }, { id: 'd2', origin: 'model', depth: 1 }, { id: 'u', origin: 'unknown' }],
      spec({ maxSyntheticDepth: 1 }),
    )
    expect(s.preview.depthHistogram).toEqual({ '0': 1, '1': 1 })
    expect(s.dropped.map((d) => [d.reason, d.ids])).toEqual([
      ['mix:max-depth', ['accepted:d2']],
      ['mix:unknown-depth', ['accepted:u']],
    ])
  })
  it('with no humans and one generation, any cap below 1 leaves nothing', () => {
    const out = applyMixPolicy(
      items(range(4, (i) => ({ id: `m${i}`, origin: 'model' }))),
      { ...defaultDatasetSpec.mix, maxSharePerGeneration: 0.9 },
      1,
    )
    expect(out.kept).toEqual([])
  })
})

describe('filters and accumulate', () => {
  const project: RecordSpec[] = [
    { id: 'a', tags: ['x'], generation: 0, model: 'm-a', reviewedAt: '2026-01-10T00:00:00Z' },
    {
      id: 'b',
      status: 'edited',
      generation: 1,
      model: 'm-b',
      flags: ['generic'],
      reviewedAt: '2026-02-10T00:00:00Z',
    },
    { id: 'c', origin: 'model', generation: 1, model: 'm-a', tags: ['x'] },
  ]
  const exported = (s: Selection): string[] => [...s.train, ...s.test].map((i) => i.id).sort()
  const filtered = (filter: Partial<DatasetSpec['filter']>, accumulate: boolean): string[] =>
    exported(select(project, spec({ accumulate }, { filter: { ...defaultDatasetSpec.filter, ...filter } })))

  it('narrow accepted items; under accumulate human originals stay whatever the filter', () => {
    expect(filtered({ models: ['m-a'] }, true)).toEqual([
      'accepted:a',
      'accepted:c',
      'human-original:a',
      'human-original:b',
    ])
    expect(filtered({ generations: [1] }, false)).toEqual([
      'accepted:b',
      'accepted:c',
      'human-original:a',
      'human-original:b',
    ])
    expect(filtered({ excludeFlagReasons: ['generic'], decisions: ['selected'] }, true)).toEqual([
      'accepted:a',
      'accepted:c',
      'human-original:a',
      'human-original:b',
    ])
    expect(filtered({ tags: ['x'] }, false)).toEqual(['accepted:a', 'accepted:c', 'human-original:a'])
    expect(filtered({ origins: ['model'] }, false)).toEqual(['accepted:c'])
    expect(filtered({ depth: { min: 1, max: 1 } }, false)).toEqual(['accepted:a', 'accepted:b'])
    expect(filtered({ reviewedAt: { from: '2026-02-01T00:00:00Z', to: null } }, false)).toEqual([
      'accepted:b',
      'accepted:c',
      'human-original:b',
    ])
  })
  it('warns when accumulate is off and human originals are left out', () => {
    const s = select(
      project,
      spec({ accumulate: false }, { filter: { ...defaultDatasetSpec.filter, origins: ['model'] } }),
    )
    expect(s.warnings.join('\n')).toMatch(/accumulate is off and 2 human original/)
  })
})

describe('probe guard', () => {
  const project: RecordSpec[] = [
    { id: 'p' },
    { id: 'q', origin: 'model', finalText: 'the reference text' },
    { id: 'r' },
  ]
  const sets = { sampleIds: ['p'], textHashes: [] as string[] }

  it('refuses what a person curated from a probe sample, naming it', () => {
    const outcome = selectDataset(project.map(makeRecord), spec({}), sets)
    // The human original that accumulate would add is left out instead; the accepted rewrite refuses.
    expect(outcome).toEqual({
      ok: false,
      error: {
        kind: 'probe-or-reference',
        offenders: [{ itemId: 'accepted:p', sampleId: 'p', match: 'sample-id' }],
      },
    })
  })
  it('leaves the human original of a probe or reference sample out of an accumulate export, and says so', () => {
    // As after the monitor froze its sets: the probe sample was never reviewed, so only accumulate adds it.
    const unreviewed = [{ id: 'p', status: 'unreviewed' as const }, { id: 'r' }]
    const outcome = selectDataset(unreviewed.map(makeRecord), spec({}), sets)
    if (!outcome.ok) throw new Error('refused')
    const kept = [...outcome.selection.train, ...outcome.selection.test].map((i) => i.id)
    expect(kept).not.toContain('human-original:p')
    expect(kept).toContain('human-original:r')
    expect(outcome.selection.dropped).toContainEqual({
      reason: 'protected:probe-or-reference',
      ids: ['human-original:p'],
    })
    // Without accumulate, a human original the filter chose itself is the person's choice: refused.
    const chosen = selectDataset(unreviewed.map(makeRecord), spec({ accumulate: false }), sets)
    expect(chosen.ok).toBe(false)
  })
  it('with an override, puts the offending sample in test (even at test fraction 0) and warns', () => {
    const outcome = selectDataset(
      project.map(makeRecord),
      spec({}, { probeOverride: { allowed: true, reason: 'ablation' } }),
      sets,
    )
    if (!outcome.ok) throw new Error('refused')
    expect(outcome.selection.test.map((i) => i.id)).toEqual(['accepted:p', 'human-original:p'])
    expect(outcome.selection.train.some((i) => i.sampleId === 'p')).toBe(false)
    expect(outcome.selection.warnings[0]).toMatch(/^PROBE\/REFERENCE OVERRIDE: 1 sample\(s\).*ablation.*: p$/)
  })
})

describe('dedup and split', () => {
  it('drops whitespace variants exactly and one-word variants of a long text as near-duplicates', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
    const list = items([
      { id: 'a', text: long, status: 'rejected' },
      { id: 'b', origin: 'model', finalText: `  ${long.replaceAll(' ', '\n')} ` },
      { id: 'c', origin: 'model', finalText: long.replace('word39', 'other') },
      { id: 'd', origin: 'model', finalText: 'something else entirely' },
    ])
    const out = dedupItems(list, defaultDatasetSpec.dedup, 3, true)
    expect(out.kept.map((i) => i.id)).toEqual(['human-original:a', 'accepted:d'])
    expect(out.duplicates.map((d) => [d.itemId, d.keptId, d.kind])).toEqual([
      ['accepted:b', 'human-original:a', 'exact'],
      ['accepted:c', 'human-original:a', 'near'],
    ])
  })
  it('sends about the test fraction of samples to test, the same ones for the same seed', () => {
    const specs = range(2000, (i) => ({ id: `s${i}`, status: 'rejected' }))
    const s = select(specs, spec({}, { split: { testFraction: 0.2, seed: 11 } }))
    expect(s.test.length / 2000).toBeGreaterThan(0.17)
    expect(s.test.length / 2000).toBeLessThan(0.23)
    expect(select(specs, spec({}, { split: { testFraction: 0.2, seed: 11 } })).test).toEqual(s.test)
  })
  it('the default spec parses and accumulates', () => {
    expect(datasetSpec.parse(defaultDatasetSpec)).toEqual(defaultDatasetSpec)
    expect(defaultDatasetSpec.mix.accumulate).toBe(true)
  })
})
