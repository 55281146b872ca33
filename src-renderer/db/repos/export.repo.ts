// What an export reads from the store: every sample of the project with its review and, for reviewed ones,
// its candidates, as the selection's inputs. Paged by the samples' order, one read transaction per page,
// handed to the caller page by page, so nothing here holds more than one page.
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { SampleRow, WinnowDb } from '../database'
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
  const reviews = await getReviews(
    db,
    projectId,
    samples.map((sample) => sample.id),
  )
  const candidates = await Promise.all(
    samples.map((sample, i) => (reviews[i] ? listCandidatesForSample(db, sample.id) : Promise.resolve([]))),
  )
  return samples.map((sample, i) => {
    const review = reviews[i] ?? unreviewed
    return {
      record: buildExportRecord(sample, candidates[i] ?? [], review),
      tags: [],
      reviewedAt: review.lastDecisionAt,
    }
  })
}
