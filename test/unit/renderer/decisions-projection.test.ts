// Decisions projected into the store: each page's decisions and the review state they change are written
// together, the state equals the pure reducer's over the sample's decisions in log order (undo included),
// pages apply idempotently, clearing a project removes its decisions and reviews, and a decision written
// with its inputs read ahead writes exactly what one reading for itself does, even when they went stale.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents, clearProject } from '../../../src-renderer/db/projection'
import { prepareDecisionInputs } from '../../../src-renderer/db/prepared-inputs'
import {
  countReviews,
  getReview,
  listDecisionsForSample,
  tallyReviews,
} from '../../../src-renderer/db/repos/decisions.repo'
import { ChainTips } from '@shared/domain/decision-chain'
import type { DecisionRecord, UnsealedDecision } from '@shared/domain/decision'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { decisionIdOf, makeDecision } from '../../factories/decisions'

let db: WinnowDb
let log: FakeProjectLog
let tips: ChainTips
let n = 0

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
  log = new FakeProjectLog()
  log.append('project.created', { name: 'Review', settings: { maxFieldBytes: 1024 * 1024 } })
  tips = new ChainTips()
})
afterEach(() => db.close())

function decide(kind: UnsealedDecision['kind'], overrides: Partial<UnsealedDecision> = {}): DecisionRecord {
  const decision = tips.next(
    makeDecision(kind, { id: decisionIdOf(++n), projectId: log.projectId, ...overrides }),
  )
  log.append('decision.recorded', { decision })
  return decision
}

describe('projecting decisions', () => {
  it('derives each sample’s review state from its decisions, undo included', async () => {
    const select = decide('select', { sampleId: 's1', candidateId: 'c1' })
    decide('flag', { sampleId: 's1' })
    decide('edit', { sampleId: 's1' })
    const latest = decide('reject-all', { sampleId: 's1' })
    decide('undo', { sampleId: 's1', undoes: latest.id })
    decide('skip', { sampleId: 's2' })
    await applyEvents(db, log.projectId, log.page(0), log.head())

    const s1 = await getReview(db, log.projectId, 's1')
    expect(s1).toMatchObject({ status: 'edited', chosenCandidateId: 'c1', finalText: 'The fox jumped.' })
    expect(s1?.flags).toHaveLength(1)
    expect(s1?.decisionCount).toBe(5)
    expect((await getReview(db, log.projectId, 's2'))?.status).toBe('skipped')
    expect(await countReviews(db, log.projectId, 'edited')).toBe(1)
    const stored = await listDecisionsForSample(db, log.projectId, 's1')
    expect(stored.map((d) => d.id)).toEqual(
      log.events.slice(1, 6).map((e) => (e.data as { decision: DecisionRecord }).decision.id),
    )
    expect(stored[0]).toMatchObject({ id: select.id, hash: select.hash })
  })

  it('applies decisions page by page, and twice, to the same state', async () => {
    decide('select', { sampleId: 's1', candidateId: 'c2' })
    const page1 = log.page(0)
    await applyEvents(db, log.projectId, page1, log.head())
    const skip = decide('skip', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(0), log.head())
    await applyEvents(db, log.projectId, log.page(0), log.head())
    expect(await getReview(db, log.projectId, 's1')).toMatchObject({ status: 'skipped', decisionCount: 2 })
    decide('undo', { sampleId: 's1', undoes: skip.id })
    await applyEvents(db, log.projectId, log.page(0), log.head())
    expect(await getReview(db, log.projectId, 's1')).toMatchObject({
      status: 'selected',
      chosenCandidateId: 'c2',
    })
    expect(await db.decisions.count()).toBe(3)
  })

  it('clears a project’s decisions and reviews', async () => {
    decide('select', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(0), log.head())
    await clearProject(db, log.projectId)
    expect(await db.decisions.count()).toBe(0)
    expect(await db.reviews.count()).toBe(0)
  })
})

/**
 * Every row a page of decisions writes, as the store holds them: what two stores must agree on. A tally
 * that went to zero stays as a row, which a store that applied the same events in fewer pages never wrote.
 */
async function decisionRows(store: WinnowDb): Promise<unknown> {
  return {
    decisions: await store.decisions.toArray(),
    reviews: await store.reviews.toArray(),
    tallies: (await store.reviewTallies.toArray()).filter((row) => row.count !== 0),
    sentinel: await store.sentinel.toArray(),
  }
}

describe('writing a decision with its inputs read ahead', () => {
  let reference: WinnowDb
  beforeEach(async () => {
    reference = (await openDatabase(`winnow-test-${randomUUID()}`)).db
  })
  afterEach(() => reference.close())

  it('writes exactly what the transaction reading for itself writes', async () => {
    decide('select', { sampleId: 's1', candidateId: 'c1' })
    decide('skip', { sampleId: 's2' })
    for (const store of [db, reference]) await applyEvents(store, log.projectId, log.page(0), log.head())
    const prepared = await prepareDecisionInputs(db, log.projectId, ['s1'])
    const afterSeq = log.head().lastSeq
    decide('flag', { sampleId: 's1' })

    const reads = vi.spyOn(db.reviews, 'bulkGet')
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head(), prepared)
    expect(reads).not.toHaveBeenCalled()
    await applyEvents(reference, log.projectId, log.page(afterSeq), log.head())
    expect(await decisionRows(db)).toEqual(await decisionRows(reference))
    expect(await getReview(db, log.projectId, 's1')).toMatchObject({ status: 'selected', decisionCount: 2 })
  })

  it('undoes that write and reads again when the store changed after the inputs were read', async () => {
    decide('select', { sampleId: 's1', candidateId: 'c1' })
    for (const store of [db, reference]) await applyEvents(store, log.projectId, log.page(0), log.head())
    const afterSeq = log.head().lastSeq
    const prepared = await prepareDecisionInputs(db, log.projectId, ['s1'])
    // Another window applies the next decision first; this one then applies it again with the next.
    decide('skip', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head())
    decide('reject-all', { sampleId: 's1' })

    const reads = vi.spyOn(db.reviews, 'bulkGet')
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head(), prepared)
    expect(reads).toHaveBeenCalledTimes(1) // the second try, reading for itself
    await applyEvents(reference, log.projectId, log.page(afterSeq), log.head())
    expect(await decisionRows(db)).toEqual(await decisionRows(reference))
    // Written from the stale inputs, "skipped" would still count the sample it no longer holds.
    expect(await countReviews(db, log.projectId, 'skipped')).toBe(0)
    expect(await tallyReviews(db, log.projectId, 'skipped')).toBe(0)
  })

  // bench:review: left to commit by itself, the transaction waited for the page to handle every result first.
  it('asks for the commit once the writes are issued, and only after the inputs are found unchanged', async () => {
    const commits = vi.spyOn(IDBTransaction.prototype, 'commit')
    decide('select', { sampleId: 's1', candidateId: 'c1' })
    await applyEvents(db, log.projectId, log.page(0), log.head())
    expect(commits).toHaveBeenCalledTimes(1)

    let afterSeq = log.head().lastSeq
    let prepared = await prepareDecisionInputs(db, log.projectId, ['s1'])
    decide('flag', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head(), prepared)
    expect(commits).toHaveBeenCalledTimes(2)

    // Stale inputs: the first try is undone, not committed; the second, reading for itself, commits.
    afterSeq = log.head().lastSeq
    prepared = await prepareDecisionInputs(db, log.projectId, ['s1'])
    decide('skip', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head())
    decide('reject-all', { sampleId: 's1' })
    await applyEvents(db, log.projectId, log.page(afterSeq), log.head(), prepared)
    expect(commits).toHaveBeenCalledTimes(4)
    expect(await getReview(db, log.projectId, 's1')).toMatchObject({ status: 'rejected', decisionCount: 4 })
    commits.mockRestore()
  })

  it('reads for itself when the inputs do not cover a sample the page decides on', async () => {
    decide('select', { sampleId: 's1', candidateId: 'c1' })
    for (const store of [db, reference]) await applyEvents(store, log.projectId, log.page(0), log.head())
    const afterSeq = log.head().lastSeq
    const prepared = await prepareDecisionInputs(db, log.projectId, ['s2'])
    decide('skip', { sampleId: 's1' })

    await applyEvents(db, log.projectId, log.page(afterSeq), log.head(), prepared)
    await applyEvents(reference, log.projectId, log.page(afterSeq), log.head())
    expect(await decisionRows(db)).toEqual(await decisionRows(reference))
    expect(await tallyReviews(db, log.projectId, 'selected')).toBe(0)
  })
})
