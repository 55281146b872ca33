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
  const keys = [...touched.values()].map(({ projectId, sampleId }): [string, string] => [projectId, sampleId])
  const before = await db.reviews.bulkGet(keys)
  const reviews: ReviewRow[] = []
  // Status counts move with the reviews, in this same transaction (reviewTallies, schema v6).
  const delta = new Map<string, { projectId: string; status: ReviewRow['status']; by: number }>()
  const move = (projectId: string, status: ReviewRow['status'], by: number): void => {
    const key = `${projectId}\u0000${status}`
    const entry = delta.get(key) ?? { projectId, status, by: 0 }
    entry.by += by
    delta.set(key, entry)
  }
  for (const [i, { projectId, sampleId }] of [...touched.values()].entries()) {
    const all = await listDecisionsForSample(db, projectId, sampleId)
    const review: ReviewRow = {
      ...reduceSampleReview(all.map(({ seq: _seq, ...decision }) => decision)),
      projectId,
      sampleId,
    }
    reviews.push(review)
    const old = before[i]
    if (old?.status === review.status) continue
    if (old) move(projectId, old.status, -1)
    move(projectId, review.status, +1)
  }
  await db.reviews.bulkPut(reviews)
  const changes = [...delta.values()].filter(({ by }) => by !== 0)
  if (changes.length === 0) return
  const tallies = await db.reviewTallies.bulkGet(
    changes.map(({ projectId, status }): [string, string] => [projectId, status]),
  )
  await db.reviewTallies.bulkPut(
    changes.map(({ projectId, status, by }, i) => ({
      projectId,
      status,
      count: (tallies[i]?.count ?? 0) + by,
    })),
  )
}

/** How many of the project's samples have a review in this status (kept by deriveReviews). */
export async function tallyReviews(
  db: WinnowDb,
  projectId: string,
  status: ReviewRow['status'],
): Promise<number> {
  return (await db.reviewTallies.get([projectId, status]))?.count ?? 0
}

/** Projection only (rebuild). */
export async function deleteProjectDecisions(db: WinnowDb, projectId: string): Promise<void> {
  await db.decisions.where('[projectId+at]').between([projectId, minKey], [projectId, maxKey]).delete()
  await db.reviews.where('[projectId+status]').between([projectId, minKey], [projectId, maxKey]).delete()
  await db.reviewTallies
    .where('[projectId+status]')
    .between([projectId, minKey], [projectId, maxKey])
    .delete()
}
