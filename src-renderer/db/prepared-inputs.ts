// A decision's store write, with what it reads read ahead: while main appends the decision to the log, the
// sample's review inputs and the project's sentinel are read in a transaction of their own, so the write's
// strict transaction need not wait for its reads. The write still checks, in its own transaction, that the
// store has not changed since; if it has, the write is undone and done again the usual way.
import type { LogEvent, LogHead } from '@shared/domain/log-events'
import type { SentinelRow, WinnowDb } from './database'
import { readReviewInputs, type DecidedSample, type ReviewInputs } from './repos/decisions.repo'
import { getSentinel } from './repos/sentinel.repo'

/**
 * What a decision's store write will read, read ahead in a transaction of its own (while main appends the
 * decision to the log): the project's sentinel and the review inputs of some samples, as of that sentinel.
 */
export interface PreparedInputs {
  projectId: string
  sampleIds: ReadonlySet<string>
  sentinel: SentinelRow | undefined
  inputs: ReviewInputs
}

export function prepareDecisionInputs(
  db: WinnowDb,
  projectId: string,
  sampleIds: readonly string[],
): Promise<PreparedInputs> {
  return db.transaction('r', [db.sentinel, db.reviews, db.decisions, db.reviewTallies], async () => {
    const [sentinel, inputs] = await Promise.all([
      getSentinel(db, projectId),
      readReviewInputs(
        db,
        sampleIds.map((sampleId) => ({ projectId, sampleId })),
      ),
    ])
    return { projectId, sampleIds: new Set(sampleIds), sentinel, inputs }
  })
}

/** The store changed after the inputs were read ahead: the transaction that relied on them is undone. */
export class StaleInputsError extends Error {
  constructor() {
    super('The local database changed after the inputs of this write were read ahead.')
    this.name = 'StaleInputsError'
  }
}

/** Whether `prepared` can stand in for a page's reads: same project and log, every decided sample. */
export function canStandIn(
  prepared: PreparedInputs,
  projectId: string,
  events: readonly LogEvent[],
  head: LogHead,
  decided: readonly DecidedSample[],
): boolean {
  const { sentinel } = prepared
  // Without a sentinel the store is new or being rebuilt: nothing to read ahead, and a gap to refuse.
  if (prepared.projectId !== projectId || sentinel === undefined || sentinel.logId !== head.logId)
    return false
  const first = events.find((event) => event.seq > sentinel.lastSeq)
  if (first !== undefined && first.seq !== sentinel.lastSeq + 1) return false // the usual path names the gap
  return decided.every(({ sampleId }) => prepared.sampleIds.has(sampleId))
}

function isSameSentinel(a: SentinelRow | undefined, b: SentinelRow | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.logId === b.logId &&
    a.lastSeq === b.lastSeq &&
    a.eventCount === b.eventCount &&
    a.sampleCount === b.sampleCount &&
    a.rebuildPending === b.rebuildPending
  )
}

/**
 * Asked inside the write's transaction before any of its writes: rejects, undoing them all, when the store
 * is no longer as the inputs were read. Awaited by the caller with its writes.
 */
export function checkUnchanged(db: WinnowDb, prepared: PreparedInputs): Promise<void> {
  const checked = getSentinel(db, prepared.projectId).then((now) => {
    if (!isSameSentinel(now, prepared.sentinel)) throw new StaleInputsError()
  })
  checked.catch(() => undefined) // reported where it is awaited
  return checked
}
