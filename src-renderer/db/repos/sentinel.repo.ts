// The sentinel: how far the store has applied a project's log (log id, last seq, counts). Written in the
// same transaction as the rows it describes, so it never claims more than the store holds.
import type { SentinelRow, WinnowDb } from '../database'

export function getSentinel(db: WinnowDb, projectId: string): Promise<SentinelRow | undefined> {
  return db.sentinel.get(projectId)
}

/** Projection only. */
export async function recordSentinel(db: WinnowDb, row: SentinelRow): Promise<void> {
  await db.sentinel.put(row)
}

/** Projection only (rebuild). */
export async function deleteSentinel(db: WinnowDb, projectId: string): Promise<void> {
  await db.sentinel.delete(projectId)
}
