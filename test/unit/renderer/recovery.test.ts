// The start-up decision, case by case: when the store is trusted, caught up, or rebuilt from the log.
import { describe, expect, it } from 'vitest'
import type { SentinelRow } from '../../../src-renderer/db/database'
import { assessStore, describeRebuild, type StoreAssessment } from '../../../src-renderer/db/recovery'

const head = { logId: 'log-a', lastSeq: 50, eventCount: 50, sampleCount: 1000 }
const level: SentinelRow = { projectId: 'p', logId: 'log-a', lastSeq: 50, eventCount: 50, sampleCount: 1000 }

const cases: Array<{
  name: string
  sentinel: SentinelRow | null
  actual: number
  head?: typeof head
  expected: StoreAssessment
}> = [
  { name: 'level with the log', sentinel: level, actual: 1000, expected: { action: 'none', reason: null } },
  {
    name: 'behind the log',
    sentinel: { ...level, lastSeq: 40, eventCount: 40, sampleCount: 800 },
    actual: 800,
    expected: { action: 'catch-up', reason: 'behind' },
  },
  {
    name: 'a new project with nothing in the store or the log',
    sentinel: null,
    actual: 0,
    head: { logId: 'log-a', lastSeq: 1, eventCount: 1, sampleCount: 0 },
    expected: { action: 'catch-up', reason: 'fresh-project' },
  },
  {
    name: 'a wiped store next to a log with samples',
    sentinel: null,
    actual: 0,
    expected: { action: 'rebuild', reason: 'store-empty' },
  },
  {
    name: 'rows without a sentinel',
    sentinel: null,
    actual: 10,
    head: { logId: 'log-a', lastSeq: 1, eventCount: 1, sampleCount: 0 },
    expected: { action: 'rebuild', reason: 'store-empty' },
  },
  {
    name: 'fewer rows than the sentinel claims (partial loss)',
    sentinel: level,
    actual: 500,
    expected: { action: 'rebuild', reason: 'store-shorter' },
  },
  {
    name: 'all rows gone but the sentinel kept',
    sentinel: level,
    actual: 0,
    expected: { action: 'rebuild', reason: 'store-shorter' },
  },
  {
    name: 'partial loss while also behind',
    sentinel: { ...level, lastSeq: 40, sampleCount: 800 },
    actual: 799,
    expected: { action: 'rebuild', reason: 'store-shorter' },
  },
  {
    name: 'a sentinel from another log',
    sentinel: { ...level, logId: 'log-b' },
    actual: 1000,
    expected: { action: 'rebuild', reason: 'different-log' },
  },
  {
    name: 'a store ahead of its log (an older log folder restored)',
    sentinel: { ...level, lastSeq: 60 },
    actual: 1000,
    expected: { action: 'rebuild', reason: 'different-log' },
  },
  {
    name: 'more rows than the sentinel counts (harmless)',
    sentinel: level,
    actual: 1001,
    expected: { action: 'none', reason: null },
  },
]

const upgraded: SentinelRow = { ...level, rebuildPending: 'schema-upgrade' }
cases.push(
  {
    name: 'level with the log, after a schema upgrade that added tables',
    sentinel: upgraded,
    actual: 1000,
    expected: { action: 'rebuild', reason: 'schema-upgrade' },
  },
  {
    name: 'behind the log, after a schema upgrade',
    sentinel: { ...upgraded, lastSeq: 40 },
    actual: 1000,
    expected: { action: 'rebuild', reason: 'schema-upgrade' },
  },
  {
    // A real loss is still named as one, so the person is not told "nothing was lost" when something was.
    name: 'shorter than its sentinel, after a schema upgrade',
    sentinel: upgraded,
    actual: 10,
    expected: { action: 'rebuild', reason: 'store-shorter' },
  },
)

describe('assessStore', () => {
  it.each(cases)('$name → $expected.action', ({ sentinel, actual, expected, ...rest }) => {
    expect(assessStore({ sentinel, actualSampleCount: actual, head: rest.head ?? head })).toEqual(expected)
  })
})

describe('describeRebuild', () => {
  it('tells the person what happened and how many samples came back', () => {
    expect(describeRebuild('store-empty', 10_000)).toBe(
      "Winnow's local database had lost this project's data (Chromium can discard it after a crash). " +
        `It was rebuilt from the project log: ${(10_000).toLocaleString()} samples restored.`,
    )
    expect(describeRebuild('store-shorter', 1)).toMatch(
      /lost part of this project's data.*: 1 sample restored\.$/,
    )
    expect(describeRebuild('different-log', 0)).toMatch(/rebuilt from the project log: 0 samples restored/)
  })

  it('names the candidates and decisions that came back with the samples', () => {
    expect(describeRebuild('store-empty', { samples: 200, candidates: 600, decisions: 2_000 })).toMatch(
      new RegExp(`: 200 samples, 600 candidates and ${(2_000).toLocaleString()} decisions restored\\.$`),
    )
    expect(describeRebuild('store-empty', { samples: 1, candidates: 0, decisions: 1 })).toMatch(
      /: 1 sample and 1 decision restored\.$/,
    )
  })

  it('says a schema upgrade rebuilt the project without calling it a loss', () => {
    const notice = describeRebuild('schema-upgrade', 1_000)
    expect(notice).toMatch(/was upgraded/)
    expect(notice).toContain(`(${(1_000).toLocaleString()} samples)`)
    expect(notice).not.toMatch(/lost|discard/)
  })

  it('says nothing for a new project or a catch-up', () => {
    expect(describeRebuild('fresh-project', 5)).toBeNull()
    expect(describeRebuild('behind', 5)).toBeNull()
    expect(describeRebuild(null, 5)).toBeNull()
  })
})
