// Schema v7: an index of a project's candidates by their mean token logprob, for the Review screen's "least
// confident first" queue. Without it, finding the least confident unreviewed samples meant reading every
// candidate of the project (600,000 in bench:review) each time the queue was chosen. IndexedDB builds the
// index over the existing rows during the upgrade; candidates without logprobs are simply not in it.
import type { Migration } from '../database'

export const migration = {
  version: 7,
  stores: {
    candidates:
      'id, [sampleId+createdAt], [projectId+jobId], [projectId+status], [projectId+logprobSummary.meanLogprob]',
  },
} satisfies Migration
