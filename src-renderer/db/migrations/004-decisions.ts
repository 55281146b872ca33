// Schema v4: review decisions and each sample's review state derived from them. Earlier projections skipped
// decision.recorded events, so every project is marked for a rebuild from its log.
import type { Migration, SentinelRow } from '../database'

export const migration = {
  version: 4,
  stores: {
    // A sample's decisions in log order (UUIDv7 ids sort by time); a project's recent decisions.
    decisions: 'id, [projectId+sampleId], [projectId+at]',
    // Queues: a project's samples by review status.
    reviews: '[projectId+sampleId], [projectId+status]',
  },
  upgrade: async (tx) => {
    await tx
      .table<SentinelRow, string>('sentinel')
      .toCollection()
      .modify((row) => {
        row.rebuildPending = 'schema-upgrade'
      })
  },
} satisfies Migration
