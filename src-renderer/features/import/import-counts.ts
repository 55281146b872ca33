// Which counts describe an import right now: the finished batch in the store when the projection has it,
// else the job's result, else its last live progress.
import { importCounts, type ImportCounts } from '@shared/domain/import-spec'
import type { JobSnapshot } from '@shared/jobs/job'
import type { ImportBatchRow } from '../../db/database'

const zero: ImportCounts = { read: 0, imported: 0, duplicates: 0, rejected: 0 }

export function importCountsOf(job: JobSnapshot | null, batch: ImportBatchRow | null): ImportCounts {
  if (batch && (batch.status !== 'running' || job === null)) return batch.counts
  const fromResult = importCounts.safeParse(job?.result)
  if (fromResult.success) return fromResult.data
  const fromProgress = importCounts.safeParse(job?.progress?.counts)
  return fromProgress.success ? fromProgress.data : zero
}

/** The import batch a job writes (import jobs carry it in their params). */
export function batchIdOf(job: JobSnapshot): string | null {
  const params = job.params
  const batchId: unknown =
    typeof params === 'object' && params !== null ? Reflect.get(params, 'batchId') : null
  return job.kind === 'import' && typeof batchId === 'string' ? batchId : null
}

/** One error as people and the saved file read it: `file:line: reason`. */
export const errorLine = (fileName: string, line: number, reason: string): string =>
  `${fileName}:${line}: ${reason}`
