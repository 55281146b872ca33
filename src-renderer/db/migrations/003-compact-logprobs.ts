// Schema v3: candidates keep their per-token logprobs as column arrays (candidates.recorded v2). Rows
// projected before hold one object per token, so every project is marked for a rebuild from its log,
// which reads old events through the upcaster; no index changes.
import type { Migration } from '../database'
import { rebuildEveryProject } from '../rebuild-on-upgrade'

export const migration = {
  version: 3,
  stores: {},
  upgrade: rebuildEveryProject,
} satisfies Migration
