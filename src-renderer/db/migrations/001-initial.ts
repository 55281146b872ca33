// Schema v1: the projection of the first log event kinds (projects, imported samples, import batches, jobs)
// plus the sentinel that says how far each project's log has been applied.
import type { Migration } from '../database'

export const migration = {
  version: 1,
  stores: {
    projects: 'id',
    // One compound index per browse filter, each ending in ord, so every filter pages in import order.
    samples: 'id, [projectId+ord], [projectId+origin+ord], [projectId+batchId+ord]',
    importBatches: 'id, [projectId+startedAt]',
    jobs: 'id, [projectId+createdAt]',
    sentinel: 'projectId',
  },
} satisfies Migration
