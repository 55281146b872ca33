// Schema v2: the candidates table (model rewrites of samples, with provenance). v1's projection skipped
// candidates.recorded events, so the upgrade marks every project's sentinel for a rebuild from its log.
import type { Migration, SentinelRow } from '../database'

export const migration = {
  version: 2,
  stores: {
    // A sample's candidates newest first; a project's candidates by job and by status.
    candidates: 'id, [sampleId+createdAt], [projectId+jobId], [projectId+status]',
  },
  // Marking rather than clearing: a missing sentinel reads as "the store lost this project" (an alarming,
  // wrong notice), and projects opened weeks later must still catch up. The rows stay usable until then.
  upgrade: async (tx) => {
    await tx
      .table<SentinelRow, string>('sentinel')
      .toCollection()
      .modify((row) => {
        row.rebuildPending = 'schema-upgrade'
      })
  },
} satisfies Migration
