// What an export reads from the store: every sample of the project with its review and, for reviewed ones,
// its candidates, as the selection's inputs. Paged by the samples' order, one read transaction per page,
// so a large project is read in bounded steps (the selection itself still holds every input).
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { WinnowDb } from '../database'
import { listCandidatesForSample } from './candidates.repo'
import { getReviews } from './decisions.repo'
import { getSentinel } from './sentinel.repo'
import { noSampleFilter, pageSamplesAfter } from './samples.repo'

const PAGE = 500
const unreviewed = reduceSampleReview([])

export interface ExportInputs {
  inputs: SelectionInput[]
  /** The log position the store had reached: the snapshot says which facts it was built from. */
  logSeq: number
}

export async function readExportInputs(
  db: WinnowDb,
  projectId: string,
  onProgress: (read: number) => void = () => undefined,
): Promise<ExportInputs> {
  const logSeq = (await getSentinel(db, projectId))?.lastSeq ?? 0
  const inputs: SelectionInput[] = []
  for (let afterOrd = 0; ;) {
    const page = await db.transaction('r', [db.samples, db.reviews, db.candidates], async () => {
      const samples = await pageSamplesAfter(db, projectId, noSampleFilter, afterOrd, PAGE)
      const reviews = await getReviews(
        db,
        projectId,
        samples.map((sample) => sample.id),
      )
      const candidates = await Promise.all(
        samples.map((sample, i) =>
          reviews[i] ? listCandidatesForSample(db, sample.id) : Promise.resolve([]),
        ),
      )
      return samples.map((sample, i) => {
        const review = reviews[i] ?? unreviewed
        const input: SelectionInput = {
          record: buildExportRecord(sample, candidates[i] ?? [], review),
          tags: [],
          reviewedAt: review.lastDecisionAt,
        }
        return { ord: sample.ord, input }
      })
    })
    for (const { input } of page) inputs.push(input)
    onProgress(inputs.length)
    if (page.length < PAGE) break
    afterOrd = page.at(-1)!.ord
  }
  return { inputs, logSeq }
}
