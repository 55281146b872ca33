// Schema v6: per-project counts of samples by review status, kept in the same transaction as the reviews
// they count. The Review screen reads its progress after every decision; counting the reviews by status
// visited every reviewed sample each time (bench:review). Filled by a rebuild from the log.
import type { Migration } from '../database'
import { rebuildEveryProject } from '../rebuild-on-upgrade'

export const migration = {
  version: 6,
  stores: {
    reviewTallies: '[projectId+status]',
  },
  upgrade: rebuildEveryProject,
} satisfies Migration
