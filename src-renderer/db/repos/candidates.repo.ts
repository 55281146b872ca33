// Candidates: model rewrites of samples as the project log recorded them (complete, partial or failed),
// read per sample for the detail view and counted per project; written only by the projection.
import type { CandidateStatus } from '@shared/domain/candidate'
import {
  maxKey,
  minKey,
  projectRows,
  type CandidateRow,
  type Collection,
  type ProjectKey,
  type WinnowDb,
} from '../database'

/** One sample's candidates, oldest first, by the [projectId+sampleId+createdAt] index. */
function ofSample(db: WinnowDb, projectId: string, sampleId: string): Collection<CandidateRow, ProjectKey> {
  return db.candidates
    .where('[projectId+sampleId+createdAt]')
    .between([projectId, sampleId, minKey], [projectId, sampleId, maxKey])
}

/** Newest first. */
export function listCandidatesForSample(
  db: WinnowDb,
  projectId: string,
  sampleId: string,
): Promise<CandidateRow[]> {
  return ofSample(db, projectId, sampleId).reverse().toArray()
}

/**
 * Whether the sample has at least one complete candidate (the only kind a person is asked to review), from
 * `model` when one is given (the review queue's model filter).
 */
export async function hasCompleteCandidate(
  db: WinnowDb,
  projectId: string,
  sampleId: string,
  model: string | null = null,
): Promise<boolean> {
  const first = await ofSample(db, projectId, sampleId)
    .filter((row) => row.status === 'complete' && (model === null || row.provenance.model === model))
    .first()
  return first !== undefined
}

/**
 * Whether the project has any candidate with this status: the first key of an index range, where a count
 * would visit every entry (600k candidates take seconds to count in Chromium on a slow machine).
 */
export async function hasCandidateWithStatus(
  db: WinnowDb,
  projectId: string,
  status: CandidateStatus,
): Promise<boolean> {
  const keys = await db.candidates
    .where('[projectId+status]')
    .equals([projectId, status])
    .limit(1)
    .primaryKeys()
  return keys.length > 0
}

/** All of a project's candidates, or only those with one status. */
export function countCandidates(db: WinnowDb, projectId: string, status?: CandidateStatus): Promise<number> {
  if (status !== undefined)
    return db.candidates.where('[projectId+status]').equals([projectId, status]).count()
  return projectRows(db.candidates, projectId).count()
}

/** Projection only: rows are keyed by project and candidate id, so applying the same records twice changes nothing. */
export async function recordCandidates(db: WinnowDb, rows: CandidateRow[]): Promise<void> {
  if (rows.length > 0) await db.candidates.bulkPut(rows)
}

/** Projection only (rebuild). */
export async function deleteProjectCandidates(db: WinnowDb, projectId: string): Promise<void> {
  await projectRows(db.candidates, projectId).delete()
}

/**
 * Sample ids in order of their least confident complete candidate (lowest mean token logprob first; of
 * `model`, when given), each once, for which `isWanted` holds (the review queue: unreviewed ones), up to `limit`. Reads the confidence
 * index (schema v7) a batch at a time; candidates without logprobs are not in it.
 */
export async function leastConfidentSampleIds(
  db: WinnowDb,
  projectId: string,
  limit: number,
  isWanted: (sampleIds: string[]) => Promise<boolean[]>,
  model: string | null = null,
  batchSize = 2000,
): Promise<string[]> {
  const seen = new Set<string>()
  const ids: string[] = []
  for (let offset = 0; ids.length < limit; offset += batchSize) {
    const batch = await db.candidates
      .where('[projectId+logprobSummary.meanLogprob]')
      .between([projectId, -Infinity], [projectId, Infinity])
      .offset(offset)
      .limit(batchSize)
      .toArray()
    const fresh: string[] = []
    for (const row of batch)
      if (
        row.status === 'complete' &&
        (model === null || row.provenance.model === model) &&
        !seen.has(row.sampleId)
      ) {
        seen.add(row.sampleId)
        fresh.push(row.sampleId)
      }
    const wanted = await isWanted(fresh)
    for (const [i, sampleId] of fresh.entries())
      if (wanted[i] === true && ids.length < limit) ids.push(sampleId)
    if (batch.length < batchSize) break
  }
  return ids
}
