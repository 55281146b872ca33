// Review decisions and the review state of each sample, written only by the projection: a page's decisions
// and the states they change go in the same strict transaction, so the two never disagree.
import { reduceSampleReview } from '@shared/domain/review-state'
import { maxKey, minKey, type DecisionRow, type ReviewRow, type WinnowDb } from '../database'

/** A sample's decisions in this log's order (the review state reads them in canonical order: review-state.ts). */
export async function listDecisionsForSample(
  db: WinnowDb,
  projectId: string,
  sampleId: string,
): Promise<DecisionRow[]> {
  const rows = await db.decisions.where('[projectId+sampleId]').equals([projectId, sampleId]).toArray()
  // Log order, for a history shown as it was written; reduceSampleReview puts them in canonical order.
  return rows.sort((a, b) => a.seq - b.seq)
}

export function getReview(db: WinnowDb, projectId: string, sampleId: string): Promise<ReviewRow | undefined> {
  return db.reviews.get([projectId, sampleId])
}

/** The review rows of the given samples, in the same order; undefined where a sample has none yet. */
export function getReviews(
  db: WinnowDb,
  projectId: string,
  sampleIds: readonly string[],
): Promise<(ReviewRow | undefined)[]> {
  return db.reviews.bulkGet(sampleIds.map((sampleId): [string, string] => [projectId, sampleId]))
}

export function countReviews(db: WinnowDb, projectId: string, status: ReviewRow['status']): Promise<number> {
  return db.reviews.where('[projectId+status]').equals([projectId, status]).count()
}

export function countDecisions(db: WinnowDb, projectId: string): Promise<number> {
  return db.decisions.where('[projectId+at]').between([projectId, minKey], [projectId, maxKey]).count()
}

/** Projection only: stores the decisions, then re-derives the review state of every sample they touch. */
export async function recordDecisions(db: WinnowDb, decisions: DecisionRow[]): Promise<void> {
  await storeDecisionRows(db, decisions)
  await deriveReviews(db, decisions)
}

/** Half of recordDecisions; only the crash harness's broken build (db/faults) calls it on its own. */
export async function storeDecisionRows(db: WinnowDb, decisions: DecisionRow[]): Promise<void> {
  if (decisions.length === 0) return
  await db.decisions.bulkPut(decisions)
}

/** The other half: re-derives the review state of every sample the decisions touch, from its stored rows. */
export async function deriveReviews(db: WinnowDb, decisions: DecisionRow[]): Promise<void> {
  if (decisions.length === 0) return
  const touched = new Map<string, { projectId: string; sampleId: string }>()
  for (const d of decisions) touched.set(`${d.projectId}\u0000${d.sampleId}`, d)
  const reviews: ReviewRow[] = []
  for (const { projectId, sampleId } of touched.values()) {
    const all = await listDecisionsForSample(db, projectId, sampleId)
    reviews.push({
      ...reduceSampleReview(all.map(({ seq: _seq, ...decision }) => decision)),
      projectId,
      sampleId,
    })
  }
  await db.reviews.bulkPut(reviews)
}

/** Projection only (rebuild). */
export async function deleteProjectDecisions(db: WinnowDb, projectId: string): Promise<void> {
  await db.decisions.where('[projectId+at]').between([projectId, minKey], [projectId, maxKey]).delete()
  await db.reviews.where('[projectId+status]').between([projectId, minKey], [projectId, maxKey]).delete()
}
