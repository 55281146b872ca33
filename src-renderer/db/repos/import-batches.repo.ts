// Import batches: one row per imported file, from its start event to its end event in the project log.
import type { LogEventPayload } from '@shared/domain/log-events'
import { maxKey, minKey, projectRows, type ImportBatchRow, type WinnowDb } from '../database'

/** Newest first. */
export function listBatches(db: WinnowDb, projectId: string): Promise<ImportBatchRow[]> {
  return db.importBatches
    .where('[projectId+startedAt]')
    .between([projectId, minKey], [projectId, maxKey])
    .reverse()
    .toArray()
}

export function getBatch(db: WinnowDb, projectId: string, id: string): Promise<ImportBatchRow | undefined> {
  return db.importBatches.get([projectId, id])
}

/** Projection only. */
export async function recordBatchStarted(
  db: WinnowDb,
  projectId: string,
  data: LogEventPayload<'import.batchStarted'>,
  at: string,
): Promise<void> {
  await db.importBatches.put({
    id: data.batchId,
    projectId,
    fileName: data.fileName,
    sizeBytes: data.sizeBytes,
    spec: data.spec,
    status: 'running',
    counts: { read: 0, imported: 0, duplicates: 0, rejected: 0 },
    errors: [],
    errorsTruncated: false,
    message: null,
    startedAt: at,
    finishedAt: null,
  })
}

/** Projection only. */
export async function recordBatchFinished(
  db: WinnowDb,
  projectId: string,
  data: LogEventPayload<'import.batchFinished'>,
  at: string,
): Promise<void> {
  // A finish without its start would be a bug in main; keep the outcome visible rather than drop it.
  const started = (await db.importBatches.get([projectId, data.batchId])) ?? {
    id: data.batchId,
    projectId,
    fileName: '(unknown file)',
    sizeBytes: 0,
    spec: null,
    startedAt: at,
  }
  await db.importBatches.put({
    ...started,
    status: data.status,
    counts: data.counts,
    errors: data.errors,
    errorsTruncated: data.errorsTruncated,
    message: data.message,
    finishedAt: at,
  })
}

/** Projection only (rebuild). */
export async function deleteProjectBatches(db: WinnowDb, projectId: string): Promise<void> {
  await projectRows(db.importBatches, projectId).delete()
}
