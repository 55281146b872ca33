// What a job's snapshot means for its controls: whether it runs, whether it can be resumed (cancel then
// resume is a pause: the worker skips what the log already holds), and how far along it is.
import type { JobSnapshot } from '@shared/jobs/job'
import { readGenerationResult } from '@shared/domain/generation-spec'

export const isJobActive = (job: JobSnapshot): boolean => job.status === 'running' || job.status === 'queued'

export const canResumeJob = (job: JobSnapshot): boolean =>
  job.status === 'interrupted' || job.status === 'failed' || job.status === 'cancelled'

/** A finished generation with failed or partial candidates: running it again retries exactly those. */
export function retryableCount(job: JobSnapshot): number {
  if (job.status !== 'done' || job.kind !== 'generate') return 0
  const result = readGenerationResult(job.result)
  return result ? result.failed + result.partial : 0
}

/** 0–1, or null when the total is not known yet. */
export function jobFraction(job: JobSnapshot): number | null {
  if (job.status === 'done') return 1
  const progress = job.progress
  return progress?.total ? progress.done / progress.total : null
}
