// Schema v5: the datasets table, one row per frozen export (dataset.exported). Earlier projections skipped
// those events, so every project is marked for a rebuild from its log.
import type { Migration } from '../database'
import { rebuildEveryProject } from '../rebuild-on-upgrade'

export const migration = {
  version: 5,
  stores: {
    // Keyed by the snapshot's id; a project's exports by time (the history lists them newest first).
    datasets: 'id, [projectId+createdAt]',
  },
  upgrade: rebuildEveryProject,
} satisfies Migration
