// What an export reads from the store: every sample of the project with its review and, for reviewed ones,
// its candidates, as the selection's inputs. Paged by the samples' order, one read transaction per page,
// handed to the caller page by page, so nothing here holds more than one page.
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import { reduceSampleReview } from '@shared/domain/review-state'
import { maxKey, minKey, type CandidateRow, type ReviewRow, type SampleRow, type WinnowDb } from '../database'
import { listCandidatesForSample } from './candidates.repo'
import { getReviews } from './decisions.repo'
import { getSentinel } from './sentinel.repo'
import { noSampleFilter, pageSamplesAfter } from './samples.repo'

const PAGE = 500
const unreviewed = reduceSampleReview([])

/** The log position the store has reached: the snapshot says which facts it was built from. */
export async function exportLogSeq(db: WinnowDb, projectId: string): Promise<number> {
  return (await getSentinel(db, projectId))?.lastSeq ?? 0
}

/** Visits every sample's input in the project's order, a page at a time; the next page is read meanwhile. */
export async function scanExportInputs(
  db: WinnowDb,
  projectId: string,
  visit: (page: readonly SelectionInput[]) => Promise<void>,
): Promise<void> {
  const readPage = (afterOrd: number): Promise<{ inputs: SelectionInput[]; lastOrd: number | null }> =>
    db.transaction('r', [db.samples, db.reviews, db.candidates], async () => {
      const samples = await pageSamplesAfter(db, projectId, noSampleFilter, afterOrd, PAGE)
      return { inputs: await inputsOf(db, projectId, samples), lastOrd: samples.at(-1)?.ord ?? null }
    })
  let next = readPage(0)
  for (;;) {
    const page = await next
    const isLast = page.inputs.length < PAGE || page.lastOrd === null
    if (!isLast) next = readPage(page.lastOrd!)
    if (page.inputs.length > 0) await visit(page.inputs)
    if (isLast) return
  }
}

/** The inputs of the given samples (a preview's few rows), in the order given; unknown ids are skipped. */
export function readExportInputsOf(
  db: WinnowDb,
  projectId: string,
  sampleIds: readonly string[],
): Promise<SelectionInput[]> {
  return db.transaction('r', [db.samples, db.reviews, db.candidates], async () => {
    const rows = await db.samples.bulkGet([...sampleIds])
    const samples = rows.filter((row): row is SampleRow => row !== undefined && row.projectId === projectId)
    return inputsOf(db, projectId, samples)
  })
}

async function inputsOf(db: WinnowDb, projectId: string, samples: SampleRow[]): Promise<SelectionInput[]> {
  const ids = samples.map((sample) => sample.id)
  const reviews = await reviewsOf(db, projectId, ids)
  const candidates = await candidatesOf(
    db,
    ids.filter((_, i) => reviews[i] !== undefined),
  )
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
async function candidatesOf(db: WinnowDb, ids: readonly string[]): Promise<Map<string, CandidateRow[]>> {
  const range = keyRange(ids)
  const out = new Map<string, CandidateRow[]>()
  if (range === null) return out
  const rows = await db.candidates
    .where('[sampleId+createdAt]')
    .between([range[0], minKey], [range[1], maxKey], true, true)
    .limit(CANDIDATES_CAP)
    .toArray()
  if (rows.length >= CANDIDATES_CAP) {
    const lists = await Promise.all(ids.map((id) => listCandidatesForSample(db, id)))
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
