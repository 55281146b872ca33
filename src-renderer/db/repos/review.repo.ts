// What one review item and the review counts read, each in a single read transaction: the Review screen
// re-reads both after every decision, and one transaction costs one round trip to the browser's IndexedDB
// backend where four or five separate ones cost as many.
import type { CandidateRow, DecisionRow, ReviewRow, SampleRow, WinnowDb } from '../database'
import { hasCandidateWithStatus, listCandidatesForSample } from './candidates.repo'
import { getReview, listDecisionsForSample, tallyReviews } from './decisions.repo'
import { countSamples, getSample, noSampleFilter } from './samples.repo'

export interface ReviewItemRows {
  sample: SampleRow | undefined
  /** Newest first, every status. */
  candidates: CandidateRow[]
  review: ReviewRow | undefined
  /** Log order, every annotator. */
  decisions: DecisionRow[]
}

export function readReviewItemRows(
  db: WinnowDb,
  projectId: string,
  sampleId: string,
): Promise<ReviewItemRows> {
  return db.transaction('r', [db.samples, db.candidates, db.reviews, db.decisions], async () => {
    const [sample, candidates, review, decisions] = await Promise.all([
      getSample(db, projectId, sampleId),
      listCandidatesForSample(db, projectId, sampleId),
      getReview(db, projectId, sampleId),
      listDecisionsForSample(db, projectId, sampleId),
    ])
    return { sample, candidates, review, decisions }
  })
}

export interface ReviewCountRows {
  samples: number
  selected: number
  edited: number
  rejected: number
  hasCompleteCandidate: boolean
}

export function readReviewCountRows(db: WinnowDb, projectId: string): Promise<ReviewCountRows> {
  return db.transaction('r', [db.samples, db.sentinel, db.reviewTallies, db.candidates], async () => {
    const [samples, selected, edited, rejected, hasCompleteCandidate] = await Promise.all([
      countSamples(db, projectId, noSampleFilter),
      tallyReviews(db, projectId, 'selected'),
      tallyReviews(db, projectId, 'edited'),
      tallyReviews(db, projectId, 'rejected'),
      hasCandidateWithStatus(db, projectId, 'complete'),
    ])
    return { samples, selected, edited, rejected, hasCompleteCandidate }
  })
}
