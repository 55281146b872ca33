// Review decisions and the review state of each sample, written only by the projection: a page's decisions
// and the states they change go in the same strict transaction, so the two never disagree.
import { reduceSampleReview } from '@shared/domain/review-state'
import { maxKey, minKey, projectRows, type DecisionRow, type ReviewRow, type WinnowDb } from '../database'

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
  return projectRows(db.decisions, projectId).count()
}

/** A sample a page of decisions touches. */
export interface DecidedSample {
  projectId: string
  sampleId: string
}

/**
 * What re-deriving the review state of some samples reads: their reviews, their stored decisions and the
 * projects' tallies, asked for all at once before any write. One after another they were five round trips
 * to the browser's IndexedDB backend inside the strict transaction a person waits on (bench:review).
 */
export interface ReviewInputs {
  reviews: Map<string, ReviewRow | undefined>
  decisions: Map<string, DecisionRow[]>
  /** Per project and status: the count before this page. */
  tallies: Map<string, number>
}

const sampleKey = (projectId: string, sampleId: string): string => `${projectId}\u0000${sampleId}`
const tallyKey = (projectId: string, status: string): string => `${projectId}\u0000${status}`

export async function readReviewInputs(
  db: WinnowDb,
  decided: readonly DecidedSample[],
): Promise<ReviewInputs> {
  const touched = [...new Map(decided.map((d) => [sampleKey(d.projectId, d.sampleId), d])).values()]
  const projects = [...new Set(touched.map((d) => d.projectId))]
  const [reviews, decisions, tallies] = await Promise.all([
    db.reviews.bulkGet(touched.map(({ projectId, sampleId }): [string, string] => [projectId, sampleId])),
    Promise.all(touched.map(({ projectId, sampleId }) => listDecisionsForSample(db, projectId, sampleId))),
    Promise.all(
      projects.map((projectId) =>
        db.reviewTallies
          .where('[projectId+status]')
          .between([projectId, minKey], [projectId, maxKey])
          .toArray(),
      ),
    ),
  ])
  const keys = touched.map((d) => sampleKey(d.projectId, d.sampleId))
  return {
    reviews: new Map(keys.map((key, i) => [key, reviews[i]])),
    decisions: new Map(keys.map((key, i) => [key, decisions[i] ?? []])),
    tallies: new Map(tallies.flat().map((row) => [tallyKey(row.projectId, row.status), row.count])),
  }
}

/**
 * Projection only: stores the decisions and, in the same transaction, the review state of every sample they
 * touch and the tallies that move with it. `inputs` is readReviewInputs for (at least) these decisions'
 * samples, read by the caller alongside its own reads; awaited as a promise started earlier, Dexie lost the
 * transaction's zone and committed it too early.
 */
export async function recordDecisions(
  db: WinnowDb,
  decisions: DecisionRow[],
  inputs?: ReviewInputs,
): Promise<void> {
  if (decisions.length === 0) return
  const read = inputs ?? (await readReviewInputs(db, decisions))
  await Promise.all([storeDecisionRows(db, decisions), writeReviews(db, decisions, read)])
}

/** Half of recordDecisions; only the crash harness's broken build (db/faults) calls it on its own. */
export async function storeDecisionRows(db: WinnowDb, decisions: DecisionRow[]): Promise<void> {
  if (decisions.length === 0) return
  await db.decisions.bulkPut(decisions)
}

/** The other half: re-derives the review state of every sample the decisions touch, from its stored rows. */
export async function deriveReviews(db: WinnowDb, decisions: DecisionRow[]): Promise<void> {
  if (decisions.length === 0) return
  await writeReviews(db, decisions, await readReviewInputs(db, decisions))
}

/** Writes the review states and tallies that `decisions` change, from inputs read before: no reads. */
async function writeReviews(db: WinnowDb, decisions: DecisionRow[], inputs: ReviewInputs): Promise<void> {
  const fresh = new Map<string, DecisionRow[]>()
  for (const d of decisions) {
    const key = sampleKey(d.projectId, d.sampleId)
    fresh.set(key, [...(fresh.get(key) ?? []), d])
  }
  const reviews: ReviewRow[] = []
  // Status counts move with the reviews, in this same transaction (reviewTallies, schema v6).
  const delta = new Map<string, { projectId: string; status: ReviewRow['status']; by: number }>()
  const move = (projectId: string, status: ReviewRow['status'], by: number): void => {
    const key = tallyKey(projectId, status)
    const entry = delta.get(key) ?? { projectId, status, by: 0 }
    entry.by += by
    delta.set(key, entry)
  }
  for (const [key, added] of fresh) {
    const { projectId, sampleId } = added[0]!
    // The stored decisions and this page's, by id (a re-applied one counts once), in log order.
    const byId = new Map((inputs.decisions.get(key) ?? []).map((d) => [d.id, d]))
    for (const d of added) byId.set(d.id, d)
    const all = [...byId.values()].sort((a, b) => a.seq - b.seq)
    const review: ReviewRow = {
      ...reduceSampleReview(all.map(({ seq: _seq, ...decision }) => decision)),
      projectId,
      sampleId,
    }
    reviews.push(review)
    const old = inputs.reviews.get(key)
    if (old?.status === review.status) continue
    if (old) move(projectId, old.status, -1)
    move(projectId, review.status, +1)
  }
  const changes = [...delta.values()].filter(({ by }) => by !== 0)
  await Promise.all([
    db.reviews.bulkPut(reviews),
    changes.length === 0
      ? undefined
      : db.reviewTallies.bulkPut(
          changes.map(({ projectId, status, by }) => ({
            projectId,
            status,
            count: (inputs.tallies.get(tallyKey(projectId, status)) ?? 0) + by,
          })),
        ),
  ])
}

/** The samples an annotator decided on, most recently first, each once, up to `limit`: their history. */
export async function recentlyDecidedSampleIds(
  db: WinnowDb,
  projectId: string,
  annotator: string,
  limit: number,
): Promise<string[]> {
  const ids = new Set<string>()
  await db.decisions
    .where('[projectId+at]')
    .between([projectId, minKey], [projectId, maxKey])
    .reverse()
    .until(() => ids.size >= limit)
    .each((row) => {
      if (row.annotator === annotator) ids.add(row.sampleId)
    })
  return [...ids].slice(0, limit)
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
  await projectRows(db.decisions, projectId).delete()
  await projectRows(db.reviews, projectId).delete()
  await projectRows(db.reviewTallies, projectId).delete()
}
