// Samples: paged, filtered and searched reads for the browse view, plus the writes the projection makes.
// Every read walks one compound index ending in ord, so pages come in import order without sorting and a
// 200k-row project costs a key range, not a table scan.
import type { Origin } from '@shared/domain/sample'
import {
  maxKey,
  minKey,
  projectRows,
  type Collection,
  type ProjectKey,
  type SampleRow,
  type WinnowDb,
} from '../database'

export interface SampleFilter {
  origin: Origin | null
  batchId: string | null
}

export const noSampleFilter: SampleFilter = { origin: null, batchId: null }

export interface SampleSearchResult {
  rows: SampleRow[]
  /** True when at least one more match exists beyond `limit`. */
  hasMore: boolean
}

/** Rows of one project matching the filter, in ord order, with ord > afterOrd when given. */
function inOrder(
  db: WinnowDb,
  projectId: string,
  filter: SampleFilter,
  afterOrd: number | null,
): Collection<SampleRow, ProjectKey> {
  const fromOrd = afterOrd ?? minKey
  const includeFrom = afterOrd === null
  if (filter.batchId !== null) {
    const rows = db.samples
      .where('[projectId+batchId+ord]')
      .between([projectId, filter.batchId, fromOrd], [projectId, filter.batchId, maxKey], includeFrom, true)
    const { origin } = filter
    // Both filters: the batch narrows the range; origin is checked per row (a batch is usually one origin).
    return origin === null ? rows : rows.and((row) => row.origin === origin)
  }
  if (filter.origin !== null) {
    return db.samples
      .where('[projectId+origin+ord]')
      .between([projectId, filter.origin, fromOrd], [projectId, filter.origin, maxKey], includeFrom, true)
  }
  return db.samples
    .where('[projectId+ord]')
    .between([projectId, fromOrd], [projectId, maxKey], includeFrom, true)
}

/**
 * Rows matching the filter. Unfiltered, it answers from the sentinel when the ords show the store is whole
 * (Chromium's index count visits every entry: seconds at 200k rows on a slow machine, after every page).
 */
export async function countSamples(db: WinnowDb, projectId: string, filter: SampleFilter): Promise<number> {
  if (filter.origin === null && filter.batchId === null) {
    const whole = await wholeProjectCount(db, projectId)
    if (whole !== null) return whole
  }
  return inOrder(db, projectId, filter, null).count()
}

/** Every sample row the store holds for the project, counted one by one: what recovery compares. */
export function countSampleRows(db: WinnowDb, projectId: string): Promise<number> {
  return inOrder(db, projectId, noSampleFilter, null).count()
}

/**
 * Main numbers samples 1, 2, 3… without gaps, and the sentinel is written with the rows it counts. So when
 * the highest ord equals the sentinel's count, the store holds ords 1..count: the count is known, and the
 * row at offset k has ord k + 1. Null when that does not hold (then callers count or step a cursor).
 */
function wholeProjectCount(db: WinnowDb, projectId: string): Promise<number | null> {
  return db.transaction('r', [db.samples, db.sentinel], async () => {
    const sentinel = await db.sentinel.get(projectId)
    const last = await inOrder(db, projectId, noSampleFilter, null).last()
    if (sentinel === undefined || last === undefined || last.ord !== sentinel.sampleCount) return null
    return sentinel.sampleCount
  })
}

export async function pageSamples(
  db: WinnowDb,
  projectId: string,
  filter: SampleFilter,
  offset: number,
  limit: number,
): Promise<SampleRow[]> {
  const skip = Math.max(0, offset)
  const take = Math.max(0, limit)
  if (filter.origin === null && filter.batchId === null && skip > 0) {
    // Offset k is ord k + 1 in a whole store: a key range instead of stepping a cursor over k rows.
    const page = await db.transaction('r', [db.samples, db.sentinel], async () =>
      (await wholeProjectCount(db, projectId)) === null
        ? null
        : inOrder(db, projectId, noSampleFilter, skip).limit(take).toArray(),
    )
    if (page !== null) return page
  }
  return inOrder(db, projectId, filter, null).offset(skip).limit(take).toArray()
}

/** Keyset paging: the next `limit` rows after a known ord. Cheaper than a large offset when scrolling on. */
export function pageSamplesAfter(
  db: WinnowDb,
  projectId: string,
  filter: SampleFilter,
  afterOrd: number,
  limit: number,
): Promise<SampleRow[]> {
  return inOrder(db, projectId, filter, afterOrd).limit(Math.max(0, limit)).toArray()
}

export function getSample(db: WinnowDb, projectId: string, id: string): Promise<SampleRow | undefined> {
  return db.samples.get([projectId, id])
}

/** The rows of the given samples, in the same order; undefined where the store has none. */
export function getSamples(
  db: WinnowDb,
  projectId: string,
  ids: readonly string[],
): Promise<(SampleRow | undefined)[]> {
  return db.samples.bulkGet(ids.map((id): ProjectKey => [projectId, id]))
}

/**
 * Case-insensitive substring search over sample text, in ord order, stopping at `limit` matches. Scans in
 * short read transactions so a long search neither holds one transaction open nor ignores `signal`.
 */
export async function searchSamples(
  db: WinnowDb,
  projectId: string,
  query: string,
  filter: SampleFilter,
  options: { limit: number; signal?: AbortSignal; chunkSize?: number },
): Promise<SampleSearchResult> {
  const needle = query.toLowerCase()
  const chunkSize = options.chunkSize ?? 500
  const rows: SampleRow[] = []
  let afterOrd = 0
  for (;;) {
    options.signal?.throwIfAborted()
    const chunk = await pageSamplesAfter(db, projectId, filter, afterOrd, chunkSize)
    for (const row of chunk) {
      if (!row.text.toLowerCase().includes(needle)) continue
      if (rows.length >= options.limit) return { rows, hasMore: true }
      rows.push(row)
    }
    const last = chunk.at(-1)
    if (chunk.length < chunkSize || last === undefined) return { rows, hasMore: false }
    afterOrd = last.ord
  }
}

/** Projection only: rows are keyed by project and sample id, so applying the same records twice changes nothing. */
export async function recordSamples(db: WinnowDb, rows: SampleRow[]): Promise<void> {
  if (rows.length > 0) await db.samples.bulkPut(rows)
}

/** Projection only (rebuild). */
export async function deleteProjectSamples(db: WinnowDb, projectId: string): Promise<void> {
  await projectRows(db.samples, projectId).delete()
}
