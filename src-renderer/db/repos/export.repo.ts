// What an export reads from the store: every sample of the project with its review and, for reviewed ones,
// its candidates, as the selection's inputs. Paged by the samples' order and handed to the caller page by
// page, a few pages read ahead (read-ahead.ts), so nothing here holds more than those few pages.
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import { reduceSampleReview } from '@shared/domain/review-state'
import { maxKey, minKey, type CandidateRow, type ReviewRow, type SampleRow, type WinnowDb } from '../database'
import { listCandidatesForSample } from './candidates.repo'
import { getReviews } from './decisions.repo'
import { ReadAhead } from './read-ahead'
import { getSentinel } from './sentinel.repo'
import { getSamples, noSampleFilter, pageSamplesAfter } from './samples.repo'

/** Samples a page: 500 made four times the transactions, and the reads of bench:export slower than a raw scan. */
const PAGE = 2000
const unreviewed = reduceSampleReview([])

/** The log position the store has reached: the snapshot says which facts it was built from. */
export async function exportLogSeq(db: WinnowDb, projectId: string): Promise<number> {
  return (await getSentinel(db, projectId))?.lastSeq ?? 0
}

/**
 * Pages read ahead of the one being visited. The reads are round trips to the browser's IndexedDB backend,
 * which sat idle while one page at a time was asked for: bench:export spent more than half its time
 * waiting on reads.
 */
const READ_AHEAD = 4

/** Visits every sample's input in the project's order, a page at a time; the next pages are read meanwhile. */
export async function scanExportInputs(
  db: WinnowDb,
  projectId: string,
  visit: (page: readonly SelectionInput[]) => Promise<void>,
): Promise<void> {
  // Samples are read one page after another (the next page starts after this one's last ord); each page's
  // reviews and candidates are read as soon as its samples are in, while the next samples are read.
  const readSamples = (afterOrd: number): Promise<SampleRow[]> =>
    db.transaction('r', [db.samples], () => pageSamplesAfter(db, projectId, noSampleFilter, afterOrd, PAGE))
  const readInputs = (samples: SampleRow[]): Promise<SelectionInput[]> =>
    db.transaction('r', [db.reviews, db.candidates], () => inputsOf(db, projectId, samples))
  const ahead = new ReadAhead<SelectionInput[]>(READ_AHEAD)
  ahead.endWith(
    (async () => {
      for (let afterOrd = 0; ;) {
        await ahead.room()
        const samples = await readSamples(afterOrd)
        if (samples.length > 0) ahead.push(readInputs(samples))
        if (samples.length < PAGE) return
        afterOrd = samples.at(-1)!.ord
      }
    })(),
  )
  for (let page = await ahead.next(); page !== null; page = await ahead.next())
    if (page.length > 0) await visit(page)
}

/** The inputs of the given samples (a preview's few rows), in the order given; unknown ids are skipped. */
export function readExportInputsOf(
  db: WinnowDb,
  projectId: string,
  sampleIds: readonly string[],
): Promise<SelectionInput[]> {
  return db.transaction('r', [db.samples, db.reviews, db.candidates], async () => {
    const rows = await getSamples(db, projectId, sampleIds)
    const samples = rows.filter((row): row is SampleRow => row !== undefined)
    return inputsOf(db, projectId, samples)
  })
}

async function inputsOf(db: WinnowDb, projectId: string, samples: SampleRow[]): Promise<SelectionInput[]> {
  const ids = samples.map((sample) => sample.id)
  // Both at once (one round trip, not two); only reviewed samples' candidates are used.
  const [reviews, candidates] = await Promise.all([
    reviewsOf(db, projectId, ids),
    candidatesOf(db, projectId, ids),
  ])
  return samples.map((sample, i) => {
    const review = reviews[i] ?? unreviewed
    return {
      record: buildExportRecord(sample, reviews[i] ? (candidates.get(sample.id) ?? []) : [], review),
      tags: [],
      reviewedAt: review.lastDecisionAt,
    }
  })
}

// Samples are numbered in import order and their ids are time-ordered, so a page's ids usually span a narrow
// key range: one range read for the page's reviews and one for its candidates, instead of a request per
// sample (a thousand per page, most of an export's reading time). A cap on each read bounds the waste when
// the ids are not in order (a merged or restored project); past it, the page is read sample by sample.
const REVIEWS_CAP = 2 * PAGE
const CANDIDATES_CAP = 64 * PAGE

function keyRange(ids: readonly string[]): [string, string] | null {
  if (ids.length === 0) return null
  let lo = ids[0]!
  let hi = lo
  for (const id of ids) {
    if (id < lo) lo = id
    if (id > hi) hi = id
  }
  return [lo, hi]
}

async function reviewsOf(
  db: WinnowDb,
  projectId: string,
  ids: readonly string[],
): Promise<(ReviewRow | undefined)[]> {
  const range = keyRange(ids)
  if (range === null) return []
  const rows = await db.reviews
    .where('[projectId+sampleId]')
    .between([projectId, range[0]], [projectId, range[1]], true, true)
    .limit(REVIEWS_CAP)
    .toArray()
  if (rows.length >= REVIEWS_CAP) return getReviews(db, projectId, ids)
  const bySample = new Map(rows.map((row) => [row.sampleId, row]))
  return ids.map((id) => bySample.get(id))
}

/** Each sample's candidates, newest first (as listCandidatesForSample gives them). */
async function candidatesOf(
  db: WinnowDb,
  projectId: string,
  ids: readonly string[],
): Promise<Map<string, CandidateRow[]>> {
  const range = keyRange(ids)
  const out = new Map<string, CandidateRow[]>()
  if (range === null) return out
  const rows = await db.candidates
    .where('[projectId+sampleId+createdAt]')
    .between([projectId, range[0], minKey], [projectId, range[1], maxKey], true, true)
    .limit(CANDIDATES_CAP)
    .toArray()
  if (rows.length >= CANDIDATES_CAP) {
    const lists = await Promise.all(ids.map((id) => listCandidatesForSample(db, projectId, id)))
    ids.forEach((id, i) => out.set(id, lists[i]!))
    return out
  }
  const wanted = new Set(ids)
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!
    if (!wanted.has(row.sampleId)) continue
    const list = out.get(row.sampleId)
    if (list === undefined) out.set(row.sampleId, [row])
    else list.push(row)
  }
  return out
}
