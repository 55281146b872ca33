// What the Review screen reads from the store: the queues (sample ids in import order, filtered by their
// review state) and one item (the sample, its complete candidates in the order shown, its decisions).
import type { CandidateRow, DecisionRow, ReviewRow, SampleRow, WinnowDb } from '../db/database'
import { hasCompleteCandidate } from '../db/repos/candidates.repo'
import { getReviews } from '../db/repos/decisions.repo'
import { readReviewItemRows } from '../db/repos/review.repo'
import { noSampleFilter, pageSamplesAfter } from '../db/repos/samples.repo'
import { shownOrderFor } from './review-order'

export const queueNames = ['unreviewed', 'flagged', 'skipped', 'all'] as const
export type QueueName = (typeof queueNames)[number]

const inQueue: Record<QueueName, (review: ReviewRow | undefined) => boolean> = {
  unreviewed: (review) => review === undefined || review.status === 'unreviewed',
  flagged: (review) => (review?.flags.length ?? 0) > 0,
  skipped: (review) => review?.status === 'skipped',
  all: () => true,
}

export interface ReviewItem {
  sample: SampleRow
  /** Complete candidates only, in the order shown; partial and failed ones are never offered. */
  candidates: CandidateRow[]
  shownOrder: string[]
  review: ReviewRow | null
  decisions: DecisionRow[]
}

export interface QueuePage {
  ids: string[]
  /** The ord the scan stopped after: where the next page starts. Null once it reached the last sample. */
  nextAfterOrd: number | null
}

/**
 * Up to `limit` sample ids of the queue, in import order, after `afterOrd`. Samples without a complete
 * candidate are left out: there is nothing to choose between yet.
 */
export async function loadQueue(
  db: WinnowDb,
  projectId: string,
  queue: QueueName,
  options: { limit: number; afterOrd?: number; chunkSize?: number },
): Promise<string[]> {
  return (await loadQueuePage(db, projectId, queue, options)).ids
}

/** As loadQueue, and where a following page would start, so a long queue can be read on in the background. */
export async function loadQueuePage(
  db: WinnowDb,
  projectId: string,
  queue: QueueName,
  options: { limit: number; afterOrd?: number; chunkSize?: number },
): Promise<QueuePage> {
  const chunkSize = options.chunkSize ?? 200
  const ids: string[] = []
  let afterOrd = options.afterOrd ?? 0
  for (;;) {
    const chunk = await pageSamplesAfter(db, projectId, noSampleFilter, afterOrd, chunkSize)
    const reviews = await getReviews(
      db,
      projectId,
      chunk.map((sample) => sample.id),
    )
    const matching = chunk.filter((_, index) => inQueue[queue](reviews[index]))
    const offered = await Promise.all(matching.map((sample) => hasCompleteCandidate(db, sample.id)))
    for (const [index, sample] of matching.entries()) {
      if (offered[index] === true) ids.push(sample.id)
      if (ids.length >= options.limit) return { ids, nextAfterOrd: sample.ord }
    }
    const last = chunk.at(-1)
    if (chunk.length < chunkSize || last === undefined) return { ids, nextAfterOrd: null }
    afterOrd = last.ord
  }
}

export async function loadItem(
  db: WinnowDb,
  projectId: string,
  sampleId: string,
  annotator: string,
): Promise<ReviewItem | null> {
  const { sample, candidates: all, review, decisions } = await readReviewItemRows(db, projectId, sampleId)
  if (sample === undefined) return null
  const complete = all.filter((candidate) => candidate.status === 'complete')
  const shownOrder = shownOrderFor(
    complete.map((candidate) => candidate.id),
    sampleId,
    annotator,
  )
  const byId = new Map(complete.map((candidate) => [candidate.id, candidate]))
  const candidates = shownOrder.flatMap((id) => byId.get(id) ?? [])
  // Only this annotator's decisions: their undo must never cancel someone else's.
  const own = decisions.filter((decision) => decision.annotator === annotator)
  return { sample, candidates, shownOrder, review: review ?? null, decisions: own }
}
