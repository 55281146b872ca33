// Decisions projected into the store: each page's decisions and the review state they change are written
// together, the state equals the pure reducer's over the sample's decisions in log order (undo included),
// pages apply idempotently, and clearing a project removes its decisions and reviews.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents, clearProject } from '../../../src-renderer/db/projection'
import {
  countReviews,
  getReview,
  listDecisionsForSample,
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
