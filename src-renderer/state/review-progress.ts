// The Review screen's counts: samples with a final decision out of all, and whether there is anything to
// review at all. Read after every applied page of the log, so each must stay cheap at 200k samples and
// 600k candidates: the total comes from the sentinel, the candidates from one index key, not from counts
// that visit every entry.
import type { WinnowDb } from '../db/database'
import { readReviewCountRows } from '../db/repos/review.repo'

export interface ReviewProgressCounts {
  done: number
  total: number
}

export interface ReviewCounts {
  progress: ReviewProgressCounts
  /** False while no sample has a complete candidate: nothing to review, so no queue to scan. */
  hasCandidates: boolean
}

export async function readReviewCounts(db: WinnowDb, projectId: string): Promise<ReviewCounts> {
  const rows = await readReviewCountRows(db, projectId)
  return {
    progress: { done: rows.selected + rows.edited + rows.rejected, total: rows.samples },
    hasCandidates: rows.hasCompleteCandidate,
  }
}

/**
 * Wraps a refresh so that asks made while it runs share one more run after it, instead of each starting
 * its own; every ask resolves only after a run that began after it.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let isStale = false
  return () => {
    if (running !== null) {
      isStale = true
      return running
    }
    running = (async () => {
      try {
        do {
          isStale = false
          await run()
        } while (isStale)
      } finally {
        running = null
      }
    })()
    return running
  }
}
