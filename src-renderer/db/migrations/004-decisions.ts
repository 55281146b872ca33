// Schema v4: review decisions and each sample's review state derived from them. Earlier projections skipped
// decision.recorded events, so every project is marked for a rebuild from its log.
import type { Migration } from '../database'
import { rebuildEveryProject } from '../rebuild-on-upgrade'

export const migration = {
  version: 4,
  stores: {
    // A sample's decisions (sorted by log seq when read); a project's decisions by time.
    decisions: 'id, [projectId+sampleId], [projectId+at]',
    // Queues: a project's samples by review status.
    reviews: '[projectId+sampleId], [projectId+status]',
  },
  upgrade: rebuildEveryProject,
} satisfies Migration
