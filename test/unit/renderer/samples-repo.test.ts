// The browse view's reads: counts and pages per filter in ord order, keyset paging, and substring search
// that stops at its limit and honours cancellation — never mixing in another project's rows.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type SampleRow, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents } from '../../../src-renderer/db/projection'
import {
  countSampleRows,
  countSamples,
  getSample,
  noSampleFilter,
  pageSamples,
  pageSamplesAfter,
  searchSamples,
  type SampleFilter,
} from '../../../src-renderer/db/repos/samples.repo'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeSample } from '../../factories/log-events'
import type { SampleRecord } from '@shared/domain/sample'

let db: WinnowDb
const log = new FakeProjectLog()
const other = new FakeProjectLog()
let all: SampleRecord[]
let humanBatch: string
let mixedBatch: string

beforeAll(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
  const human = appendImport(log, {
    count: 300,
    perEvent: 70,
    text: (ord) => (ord % 10 === 0 ? `Needle ${ord}` : `hay ${ord}`),
  })
  const mixed = appendImport(log, {
    count: 200,
    perEvent: 64,
    origin: (ord) => (ord % 2 === 0 ? 'model' : 'unknown'),
    text: (ord) => (ord % 25 === 0 ? `a NEEDLE in ${ord}` : `straw ${ord}`),
  })
  appendImport(other, { count: 50, text: (ord) => `needle of another project ${ord}` })
  humanBatch = human.batchId
  mixedBatch = mixed.batchId
  all = [...human.samples, ...mixed.samples]
  await applyEvents(db, log.projectId, log.events, log.head())
  await applyEvents(db, other.projectId, other.events, other.head())
})
afterAll(() => db.close())

const expected = (filter: SampleFilter): SampleRecord[] =>
  all.filter(
    (sample) =>
      (filter.origin === null || sample.origin === filter.origin) &&
      (filter.batchId === null || sample.batchId === filter.batchId),
  )
const ords = (rows: SampleRow[]): number[] => rows.map((row) => row.ord)

describe('counting and paging', () => {
  const filters = (): Array<[string, SampleFilter]> => [
    ['no filter', noSampleFilter],
    ['origin', { origin: 'model', batchId: null }],
    ['batch', { origin: null, batchId: mixedBatch }],
    ['origin and batch', { origin: 'unknown', batchId: mixedBatch }],
    ['origin absent from the batch', { origin: 'human', batchId: mixedBatch }],
    ['an unknown batch', { origin: null, batchId: 'no-such-batch' }],
  ]

  it('counts each filter exactly', async () => {
    for (const [name, filter] of filters()) {
      expect(await countSamples(db, log.projectId, filter), name).toBe(expected(filter).length)
    }
    expect(await countSamples(db, other.projectId, noSampleFilter)).toBe(50)
    expect(await countSampleRows(db, log.projectId)).toBe(all.length)
  })

  it('pages each filter in ord order, at any offset', async () => {
    for (const [name, filter] of filters()) {
      const want = expected(filter).map((sample) => sample.ord)
      for (const [offset, limit] of [
        [0, 25],
        [37, 40],
        [want.length - 3, 10],
        [want.length + 5, 10],
      ] as const) {
        const page = await pageSamples(db, log.projectId, filter, Math.max(0, offset), limit)
        expect(ords(page), `${name} @${offset}`).toEqual(
          want.slice(Math.max(0, offset), Math.max(0, offset) + limit),
        )
        expect(page.every((row) => row.projectId === log.projectId)).toBe(true)
      }
    }
  })

  it('pages by position when ords have gaps (the key-range shortcut must not apply)', async () => {
    const gappy = new FakeProjectLog()
    const batchId = randomUUID()
    const samples = [1, 2, 5, 6, 7, 9].map((ord) => makeSample(ord, batchId))
    gappy.append('samples.imported', { batchId, samples })
    await applyEvents(db, gappy.projectId, gappy.events, gappy.head())
    expect(ords(await pageSamples(db, gappy.projectId, noSampleFilter, 2, 3))).toEqual([5, 6, 7])
    expect(ords(await pageSamples(db, gappy.projectId, noSampleFilter, 5, 3))).toEqual([9])
  })

  it('pages after a known ord (keyset)', async () => {
    const filter: SampleFilter = { origin: 'model', batchId: null }
    const want = expected(filter).map((sample) => sample.ord)
    const first = await pageSamplesAfter(db, log.projectId, filter, 0, 30)
    const second = await pageSamplesAfter(db, log.projectId, filter, first.at(-1)!.ord, 30)
    expect([...ords(first), ...ords(second)]).toEqual(want.slice(0, 60))
  })

  it('gets one sample by id, with its content hash', async () => {
    const sample = all[123]!
    expect(await getSample(db, log.projectId, sample.id)).toEqual({ ...sample, projectId: log.projectId })
    expect(await getSample(db, log.projectId, 'missing')).toBeUndefined()
  })
})

describe('searchSamples', () => {
  const matches = (filter: SampleFilter): number[] =>
    expected(filter)
      .filter((sample) => sample.text.toLowerCase().includes('needle'))
      .map((sample) => sample.ord)

  it('finds case-insensitive substrings in ord order, within the project and filter', async () => {
    const result = await searchSamples(db, log.projectId, 'nEeDlE', noSampleFilter, {
      limit: 1000,
      chunkSize: 37,
    })
    expect(ords(result.rows)).toEqual(matches(noSampleFilter))
    expect(result.hasMore).toBe(false)
    const filter: SampleFilter = { origin: 'unknown', batchId: mixedBatch }
    const filtered = await searchSamples(db, log.projectId, 'needle', filter, { limit: 1000 })
    expect(ords(filtered.rows)).toEqual(matches(filter))
  })

  it('stops at the limit and says more exist', async () => {
    const want = matches(noSampleFilter)
    const result = await searchSamples(db, log.projectId, 'needle', noSampleFilter, {
      limit: 5,
      chunkSize: 16,
    })
    expect(ords(result.rows)).toEqual(want.slice(0, 5))
    expect(result.hasMore).toBe(true)
    const exact = await searchSamples(db, log.projectId, 'needle', noSampleFilter, { limit: want.length })
    expect(exact.hasMore).toBe(false)
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      searchSamples(db, log.projectId, 'needle', noSampleFilter, { limit: 10, signal: controller.signal }),
    ).rejects.toThrow()
  })

  it('searches only the batch asked for', async () => {
    const result = await searchSamples(
      db,
      log.projectId,
      'needle',
      { origin: null, batchId: humanBatch },
      { limit: 1000 },
    )
    expect(ords(result.rows)).toEqual(matches({ origin: null, batchId: humanBatch }))
    expect(result.rows.every((row) => row.batchId === humanBatch)).toBe(true)
  })
})
