// Frozen exports as the project log recorded them (dataset.exported): the Datasets screen's history.
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import { maxKey, minKey, projectRows, type DatasetRow, type WinnowDb } from '../database'

/** Newest first. */
export function listDatasets(db: WinnowDb, projectId: string): Promise<DatasetRow[]> {
  return db.datasets
    .where('[projectId+createdAt]')
    .between([projectId, minKey], [projectId, maxKey])
    .reverse()
    .toArray()
}

/** Projection only: a snapshot is written once by main; put by id keeps a repeated page harmless. */
export async function recordDatasets(db: WinnowDb, snapshots: DatasetSnapshot[]): Promise<void> {
  if (snapshots.length > 0) await db.datasets.bulkPut(snapshots)
}

/** Projection only (rebuild). */
export async function deleteProjectDatasets(db: WinnowDb, projectId: string): Promise<void> {
  await projectRows(db.datasets, projectId).delete()
}
