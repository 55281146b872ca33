// What the Review screen reads from the store: the queues (sample ids in import order, filtered by their
// review state, or the samples annotators disagree on) and one item (the sample, its complete candidates in
// the order shown, its decisions, and every annotator's own verdict on it).
import type { CandidateRow, DecisionRow, ReviewRow, SampleRow, WinnowDb } from '../db/database'
import { hasCompleteCandidate, leastConfidentSampleIds } from '../db/repos/candidates.repo'
import { getReviews, recentlyDecidedSampleIds } from '../db/repos/decisions.repo'
import { readReviewItemRows } from '../db/repos/review.repo'
import { getSample, noSampleFilter, pageSamplesAfter } from '../db/repos/samples.repo'
import { verdictsByAnnotator, type AnnotatorVerdict } from './annotator-verdicts'
import { shownOrderFor } from './review-order'

export const queueNames = [
  'unreviewed',
  'least-confident',
  'flagged',
  'skipped',
  'disagreements',
  'recent',
  'all',
] as const
export type QueueName = (typeof queueNames)[number]
/**
 * Queues chosen by each sample's review state, in import order. Disagreements come from main's agreement
 * figures, least-confident from the candidates' confidence index, recent from the annotator's decisions.
 */
type StateQueue = Exclude<QueueName, 'disagreements' | 'least-confident' | 'recent'>

const inQueue: Record<StateQueue, (review: ReviewRow | undefined, options: QueueOptions) => boolean> = {
  unreviewed: (review) => review === undefined || review.status === 'unreviewed',
  flagged: (review, { flagReason }) =>
    (review?.flags ?? []).some((flag) => flagReason == null || flag.reason === flagReason),
  skipped: (review) => review?.status === 'skipped',
  all: () => true,
}

export interface ReviewItem {
  sample: SampleRow
  /** Complete candidates only, in the order shown; partial and failed ones are never offered. */
  candidates: CandidateRow[]
  shownOrder: string[]
  review: ReviewRow | null
  /** This annotator's own decisions (what their undo may cancel). */
  decisions: DecisionRow[]
  /** Each annotator's own verdict on the sample, from all decisions: what a disagreement is about. */
  verdicts: AnnotatorVerdict[]
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
export interface QueueOptions {
  limit: number
  afterOrd?: number
  chunkSize?: number
  /** The disagreements queue's samples, as main's merge.agreement named them (any order). */
  disagreements?: readonly string[]
  /** Whose history the recent queue is. */
  annotator?: string
  /** The flagged queue's reason; null or absent for any. */
  flagReason?: string | null
  /** Only samples with a complete candidate of this model (every queue but recent); null or absent for any. */
  model?: string | null
}

export async function loadQueue(
  db: WinnowDb,
  projectId: string,
  queue: QueueName,
  options: QueueOptions,
): Promise<string[]> {
  return (await loadQueuePage(db, projectId, queue, options)).ids
}

/** As loadQueue, and where a following page would start, so a long queue can be read on in the background. */
export async function loadQueuePage(
  db: WinnowDb,
  projectId: string,
  queue: QueueName,
  options: QueueOptions,
): Promise<QueuePage> {
  if (queue === 'disagreements') return loadDisagreementPage(db, projectId, options)
  // One page each: the least confident unreviewed samples, or the annotator's latest. Choosing the queue
  // again reads the next ones (what was decided meanwhile has left the first, or moved in the second).
  if (queue === 'least-confident') {
    const unreviewed = async (ids: string[]): Promise<boolean[]> =>
      (await getReviews(db, projectId, ids)).map((review) => inQueue.unreviewed(review, options))
    const ids = await leastConfidentSampleIds(db, projectId, options.limit, unreviewed, options.model ?? null)
    return { ids, nextAfterOrd: null }
  }
  if (queue === 'recent') {
    const { annotator } = options
    const ids =
      annotator === undefined ? [] : await recentlyDecidedSampleIds(db, projectId, annotator, options.limit)
    return { ids, nextAfterOrd: null }
  }
  const isInQueue = (review: ReviewRow | undefined): boolean => inQueue[queue](review, options)
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
    const matching = chunk.filter((_, index) => isInQueue(reviews[index]))
    const offered = await Promise.all(
      matching.map((sample) => hasCompleteCandidate(db, projectId, sample.id, options.model ?? null)),
    )
    for (const [index, sample] of matching.entries()) {
      if (offered[index] === true) ids.push(sample.id)
      if (ids.length >= options.limit) return { ids, nextAfterOrd: sample.ord }
    }
    const last = chunk.at(-1)
    if (chunk.length < chunkSize || last === undefined) return { ids, nextAfterOrd: null }
    afterOrd = last.ord
  }
}

/**
 * The disagreements queue: the named samples in import order (main names them by id), by reading those
 * samples rather than scanning the project, since they are usually few. Same paging and the same rule
 * about complete candidates as the other queues.
 */
async function loadDisagreementPage(
  db: WinnowDb,
  projectId: string,
  options: QueueOptions,
): Promise<QueuePage> {
  const afterOrd = options.afterOrd ?? 0
  const rows = await Promise.all((options.disagreements ?? []).map((id) => getSample(db, projectId, id)))
  const ahead = rows
    .filter((row): row is SampleRow => row !== undefined && row.ord > afterOrd)
    .sort((a, b) => a.ord - b.ord)
  const ids: string[] = []
  for (const [index, sample] of ahead.entries()) {
    if (await hasCompleteCandidate(db, projectId, sample.id, options.model ?? null)) ids.push(sample.id)
    const isLast = index === ahead.length - 1
    if (ids.length >= options.limit && !isLast) return { ids, nextAfterOrd: sample.ord }
  }
  return { ids, nextAfterOrd: null }
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
  return {
    sample,
    candidates,
    shownOrder,
    review: review ?? null,
    decisions: own,
    verdicts: verdictsByAnnotator(decisions),
  }
}
