// Jobs as the project log last recorded them (import now; generation, export, training later).
import type { JobSnapshot } from '@shared/jobs/job'
import { maxKey, minKey, projectRows, type JobRow, type WinnowDb } from '../database'

/** Newest first. */
export function listJobs(db: WinnowDb, projectId: string): Promise<JobRow[]> {
  return db.jobs
    .where('[projectId+createdAt]')
    .between([projectId, minKey], [projectId, maxKey])
    .reverse()
    .toArray()
}

/** Projection only: the log's later snapshot of a job replaces the earlier one. */
export async function recordJobSnapshots(db: WinnowDb, jobs: JobSnapshot[]): Promise<void> {
  if (jobs.length > 0) await db.jobs.bulkPut(jobs)
}

/** Projection only (rebuild). */
export async function deleteProjectJobs(db: WinnowDb, projectId: string): Promise<void> {
  await projectRows(db.jobs, projectId).delete()
}

/** The models the project's generation jobs asked for, sorted: what the review queue can filter by. */
export async function generationModels(db: WinnowDb, projectId: string): Promise<string[]> {
  const models = new Set<string>()
  for (const job of await listJobs(db, projectId)) {
    if (job.kind !== 'generate') continue
    const targets = (job.params as { spec?: { models?: { model?: unknown }[] } } | null)?.spec?.models ?? []
    for (const target of targets) if (typeof target.model === 'string') models.add(target.model)
  }
  return [...models].sort()
}
