// Applies project-log events to the store. Idempotent by sequence number (events at or below the
// sentinel are skipped) and by id (rows are put by key), one strict transaction per page, so a crash or
// a repeated page can never leave the store half-applied or double-counted.
import { readLogEvent, type LogEvent, type LogHead } from '@shared/domain/log-events'
import type { JobSnapshot } from '@shared/jobs/job'
import {
  commitWhenDone,
  type CandidateRow,
  type DatasetRow,
  type DecisionRow,
  type SampleRow,
  type SentinelRow,
  type WinnowDb,
} from './database'
import { deleteProjectCandidates, recordCandidates } from './repos/candidates.repo'
import { deleteProjectDatasets, recordDatasets } from './repos/datasets.repo'
import {
  deleteProjectDecisions,
  deriveReviews,
  readReviewInputs,
  recordDecisions,
  type DecidedSample,
  type ReviewInputs,
  storeDecisionRows,
} from './repos/decisions.repo'
import { deleteProjectBatches, recordBatchFinished, recordBatchStarted } from './repos/import-batches.repo'
import { deleteProjectJobs, recordJobSnapshots } from './repos/jobs.repo'
import { deleteProjectRow, recordProjectCreated, recordProjectRenamed } from './repos/projects.repo'
import { deleteProjectSamples, recordSamples } from './repos/samples.repo'
import { deleteSentinel, getSentinel, recordSentinel } from './repos/sentinel.repo'
import { splitGapMs, splitsDecisions } from './faults/split-decision'
import { canStandIn, checkUnchanged, StaleInputsError, type PreparedInputs } from './prepared-inputs'

export interface ApplyOutcome {
  /** Events consumed (unknown kinds included: they advance the sentinel but write nothing). */
  applied: number
  newSamples: number
}

/** The page does not continue the store's sequence: applying it would silently lose events. */
export class ProjectionGapError extends Error {
  constructor(
    readonly expectedSeq: number,
    readonly actualSeq: number,
  ) {
    super(
      `The project log page starts at event ${actualSeq}, but the local database expects event ${expectedSeq}.`,
    )
    this.name = 'ProjectionGapError'
  }
}

/** The store holds a different log's projection for this project; it must be rebuilt, not extended. */
export class ProjectionLogMismatchError extends Error {
  constructor(storeLogId: string, headLogId: string) {
    super(`The local database follows project log ${storeLogId}, not ${headLogId}.`)
    this.name = 'ProjectionLogMismatchError'
  }
}

const projectionTables = (db: WinnowDb) => [
  db.projects,
  db.samples,
  db.importBatches,
  db.jobs,
  db.candidates,
  db.decisions,
  db.reviews,
  db.reviewTallies,
  db.datasets,
  db.sentinel,
]

/**
 * `prepared`, when it was read for this project and covers every sample the page decides on, stands in for
 * the transaction's own reads: its writes go out at once, beside one read of the sentinel that undoes them
 * all should the store have changed since (then the page is applied again the usual way). A decision's
 * strict transaction is then one round trip to the IndexedDB backend and its commit instead of three.
 */
export async function applyEvents(
  db: WinnowDb,
  projectId: string,
  events: LogEvent[],
  head: LogHead,
  prepared?: PreparedInputs | null,
): Promise<ApplyOutcome> {
  if (splitsDecisions) return applyEventsSplit(db, projectId, events, head)
  if (prepared != null && canStandIn(prepared, projectId, events, head, decidedSamples(projectId, events))) {
    try {
      return await applyPage(db, projectId, events, head, recordDecisions, prepared)
    } catch (error) {
      if (!(error instanceof StaleInputsError)) throw error
    }
  }
  return applyPage(db, projectId, events, head, recordDecisions)
}

/**
 * TEST-ONLY broken build (faults/split-decision.ts): the decisions and the sentinel commit first, the review
 * state they change a gap later in a second transaction. Compiled out of every other build.
 */
async function applyEventsSplit(
  db: WinnowDb,
  projectId: string,
  events: LogEvent[],
  head: LogHead,
): Promise<ApplyOutcome> {
  let stored: DecisionRow[] = []
  const outcome = await applyPage(db, projectId, events, head, async (_db, decisions) => {
    stored = decisions
    await storeDecisionRows(db, decisions)
  })
  if (stored.length === 0) return outcome
  await new Promise((done) => setTimeout(done, splitGapMs))
  await db.transaction('rw', [db.decisions, db.reviews, db.reviewTallies], () => deriveReviews(db, stored))
  return outcome
}

/**
 * The tables a page's events write, plus the sentinel. A page of review decisions then locks only the
 * decisions, reviews and sentinel, so IndexedDB runs reads of samples or candidates (the next review item
 * read ahead, a view refreshing) beside it instead of making the decision's commit wait behind them.
 */
function tablesFor(db: WinnowDb, events: readonly LogEvent[]) {
  const tables = new Set<ReturnType<typeof projectionTables>[number]>([db.sentinel])
  for (const event of events) {
    switch (event.kind) {
      case 'project.created':
      case 'project.renamed':
        tables.add(db.projects)
        break
      case 'import.batchStarted':
      case 'import.batchFinished':
        tables.add(db.importBatches)
        break
      case 'samples.imported':
        tables.add(db.samples)
        break
      case 'job.changed':
        tables.add(db.jobs)
        break
      case 'candidates.recorded':
        tables.add(db.candidates)
        break
      case 'decision.recorded':
        tables.add(db.decisions).add(db.reviews).add(db.reviewTallies)
        break
      case 'dataset.exported':
        tables.add(db.datasets)
        break
      default: // a kind this version does not know writes nothing (readLogEvent skips it)
    }
  }
  return [...tables]
}

function applyPage(
  db: WinnowDb,
  projectId: string,
  events: LogEvent[],
  head: LogHead,
  writeDecisions: (db: WinnowDb, decisions: DecisionRow[], inputs?: ReviewInputs) => Promise<void>,
  prepared?: PreparedInputs,
): Promise<ApplyOutcome> {
  return db.transaction('rw', tablesFor(db, events), async (transaction) => {
    let sentinel: SentinelRow | undefined
    let reviewInputs: ReviewInputs | undefined
    // Asked before any write, so it sees the store as this transaction found it.
    let unchanged: Promise<void> | undefined
    if (prepared !== undefined) {
      sentinel = prepared.sentinel
      reviewInputs = prepared.inputs
      unchanged = checkUnchanged(db, prepared)
    } else {
      // What the page's decisions will read is asked for together with the sentinel: one round trip to
      // IndexedDB instead of several in a row before the write a person is waiting on.
      const decided = decidedSamples(projectId, events)
      ;[sentinel, reviewInputs] = await Promise.all([
        getSentinel(db, projectId),
        decided.length > 0 ? readReviewInputs(db, decided) : undefined,
      ])
    }
    if (sentinel && sentinel.logId !== head.logId)
      throw new ProjectionLogMismatchError(sentinel.logId, head.logId)
    let lastSeq = sentinel?.lastSeq ?? 0
    let applied = 0
    const samples: SampleRow[] = []
    const jobs = new Map<string, JobSnapshot>()
    // By id, last record wins: a candidate re-recorded within one page is written once, as the log ends it.
    const candidates = new Map<string, CandidateRow>()
    const decisions: DecisionRow[] = []
    const datasets: DatasetRow[] = []
    for (const event of events) {
      if (event.seq <= lastSeq) continue // already applied: a repeated or overlapping page
      if (event.seq !== lastSeq + 1) throw new ProjectionGapError(lastSeq + 1, event.seq)
      lastSeq = event.seq
      applied += 1
      const typed = readLogEvent(event)
      if (typed === null) continue // written by a newer Winnow: stays in the log, this version cannot show it
      switch (typed.kind) {
        case 'project.created':
          await recordProjectCreated(db, projectId, typed.data, typed.at)
          break
        case 'project.renamed':
          await recordProjectRenamed(db, projectId, typed.data, typed.at)
          break
        case 'import.batchStarted':
          await recordBatchStarted(db, projectId, typed.data, typed.at)
          break
        case 'samples.imported':
          for (const sample of typed.data.samples) samples.push({ ...sample, projectId })
          break
        case 'import.batchFinished':
          await recordBatchFinished(db, projectId, typed.data, typed.at)
          break
        case 'job.changed':
          // Under the log's project id, like every row: a copied project's log holds the original's id.
          jobs.set(typed.data.job.id, { ...typed.data.job, projectId })
          break
        case 'candidates.recorded':
          // Every status is kept as recorded: a partial stays partial, a failure is provenance too.
          for (const candidate of typed.data.candidates)
            candidates.set(candidate.id, { ...candidate, projectId })
          break
        case 'decision.recorded':
          // Under the log's project id, like samples: a decision merged from another annotator's copy of the
          // project keeps its own (it is hashed into its chain) but belongs to this project's store.
          decisions.push({ ...typed.data.decision, projectId, seq: event.seq })
          break
        case 'dataset.exported':
          // The row is the snapshot under the log's project id (main writes the same one; a copied log wins).
          datasets.push({ ...typed.data.snapshot, projectId })
          break
      }
    }
    if (applied === 0) {
      await unchanged
      return { applied, newSamples: 0 }
    }
    // One bulk write per table per page (fewer, larger writes rather than relaxed durability, R2), all issued
    // at once; each decision and the review state it changes in this same transaction, with the sentinel.
    const writes = Promise.all([
      recordSamples(db, samples),
      recordJobSnapshots(db, [...jobs.values()]),
      recordCandidates(db, [...candidates.values()]),
      recordDatasets(db, datasets),
      writeDecisions(db, decisions, reviewInputs),
      recordSentinel(db, {
        projectId,
        logId: head.logId,
        lastSeq,
        eventCount: (sentinel?.eventCount ?? 0) + applied,
        sampleCount: (sentinel?.sampleCount ?? 0) + samples.length,
        // Catching up does not fill what an older schema skipped: only the rebuild that clears this does.
        ...(sentinel?.rebuildPending === undefined ? {} : { rebuildPending: sentinel.rebuildPending }),
      }),
    ])
    // Every request of the page is issued: commit once they are done (after the check of inputs read ahead,
    // which must stay able to undo them), rather than after this window has seen each one's result.
    const committed = (unchanged ?? Promise.resolve()).then(() => commitWhenDone(transaction))
    await Promise.all([writes, committed]) // a failed check rejects `committed` too
    return { applied, newSamples: samples.length }
  })
}

/** The samples a page's decisions touch, from the events as they are (under the log's project id). */
function decidedSamples(projectId: string, events: readonly LogEvent[]): DecidedSample[] {
  const decided: DecidedSample[] = []
  for (const event of events) {
    if (event.kind !== 'decision.recorded') continue
    const sampleId = (event.data as { decision?: { sampleId?: unknown } } | null)?.decision?.sampleId
    if (typeof sampleId === 'string') decided.push({ projectId, sampleId })
  }
  return decided
}

/** Deletes a project's rows and its sentinel together, so a rebuild starts from a store that claims nothing. */
export function clearProject(db: WinnowDb, projectId: string): Promise<void> {
  return db.transaction('rw', projectionTables(db), async () => {
    // When no other project has a sentinel, any other rows are orphans from a partial loss anyway: empty the
    // tables, which is quicker still than deleting the project's key ranges (schema v9).
    const isOnlyProject = (await db.sentinel.filter((row) => row.projectId !== projectId).count()) === 0
    if (isOnlyProject) {
      for (const table of projectionTables(db)) await table.clear()
      return
    }
    await deleteProjectSamples(db, projectId)
    await deleteProjectBatches(db, projectId)
    await deleteProjectJobs(db, projectId)
    await deleteProjectCandidates(db, projectId)
    await deleteProjectDecisions(db, projectId)
    await deleteProjectDatasets(db, projectId)
    await deleteProjectRow(db, projectId)
    await deleteSentinel(db, projectId)
  })
}
