// Schema v9, second half of keying rows per project (see 008): the tables v8 dropped, created again with
// [projectId+id] as the primary key, so two projects that share ids (a backup restored beside its original,
// an annotator's copy) each keep their own rows. Every index starts with projectId: each read is a range
// within one project, and a project's rows are deleted by one primary-key range rather than row by row.
import type { Migration } from '../database'

export const migration = {
  version: 9,
  stores: {
    samples: '[projectId+id], [projectId+ord], [projectId+origin+ord], [projectId+batchId+ord]',
    importBatches: '[projectId+id], [projectId+startedAt]',
    jobs: '[projectId+id], [projectId+createdAt]',
    candidates:
      '[projectId+id], [projectId+sampleId+createdAt], [projectId+jobId], [projectId+status], [projectId+logprobSummary.meanLogprob]',
    decisions: '[projectId+id], [projectId+sampleId], [projectId+at]',
    datasets: '[projectId+id], [projectId+createdAt]',
  },
} satisfies Migration
