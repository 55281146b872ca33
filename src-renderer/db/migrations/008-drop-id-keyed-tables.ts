// Schema v8, first half of keying rows per project: IndexedDB cannot change a table's primary key, so the
// tables keyed by row id alone are dropped here and created again, keyed by [projectId+id], in v9.
//
// Why: a restored backup and an annotator's copy keep the original's sample, candidate and decision ids (the
// decisions' hash chains cover them). Keyed by id alone, opening the copy overwrote the original's rows, and
// opening the original next looked like a partial loss and rebuilt it with a false "data lost" notice.
//
// The log is the truth, so nothing is copied: every project is marked to reload from its log when next
// opened. Its sentinel's sample count is zeroed with the rows it counted, so the start-up check reads the
// empty tables as this upgrade (a routine reload) rather than as Chromium having discarded data.
import type { Migration, SentinelRow } from '../database'

export const migration = {
  version: 8,
  stores: {
    samples: null,
    importBatches: null,
    jobs: null,
    candidates: null,
    decisions: null,
    datasets: null,
  },
  upgrade: async (tx) => {
    await tx
      .table<SentinelRow, string>('sentinel')
      .toCollection()
      .modify((row) => {
        row.sampleCount = 0
        row.rebuildPending = 'schema-upgrade'
      })
    // What was derived from the dropped decisions goes with them; the reload derives it again.
    await tx.table('reviews').clear()
    await tx.table('reviewTallies').clear()
  },
} satisfies Migration
