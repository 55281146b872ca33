// The Review screen's state without Chromium: the shown order is a stable shuffle per sample and annotator,
// each kind of decision is built with exactly its fields, queues hold the right samples in import order,
// and a decision reads "saved" only once main answered AND the store applied the log up to it.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { agreementFigures } from '@shared/domain/agreement'
import { ChainTips, verifyChains } from '@shared/domain/decision-chain'
import type { DecisionRecord } from '@shared/domain/decision'
import type { Api } from '@shared/ipc/contract'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { ProjectionSync } from '../../../src-renderer/state/projection-sync.svelte'
import { buildDecision, type DecisionContext } from '../../../src-renderer/state/review-decision'
import { shownOrderFor } from '../../../src-renderer/state/review-order'
import { loadQueue, loadQueuePage, type ReviewItem } from '../../../src-renderer/state/review-queue'
import { ReviewState } from '../../../src-renderer/state/review.svelte'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeCandidate, makeJob } from '../../factories/log-events'

const open: Array<{ db: WinnowDb; sync: ProjectionSync }> = []
afterEach(() => {
  for (const { db, sync } of open.splice(0)) {
    sync.close()
    db.close()
  }
})

/** A project of `samples` samples; every sample but the last gets 3 complete candidates and 1 failed. */
async function project(samples: number) {
  const log = new FakeProjectLog()
  log.append('project.created', { name: 'Review', settings: { maxFieldBytes: 1024 * 1024 } })
  const imported = appendImport(log, { count: samples }).samples
  const candidates = imported
    .slice(0, -1)
    .flatMap((sample) => [
      ...[0, 1, 2].map((k) => makeCandidate(sample.id, { text: `Rewrite ${k} of ${sample.text}` })),
      makeCandidate(sample.id, { status: 'failed', text: '', failure: { kind: 'timeout', message: 'slow' } }),
    ])
  log.append('candidates.recorded', { candidates })
  const db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
  const sync = new ProjectionSync(db, {
    api: log.api,
    onEvent: log.onEvent,
    onReconnect: () => () => undefined,
  })
  open.push({ db, sync })
  await sync.open(log.projectId)
  const tips = new ChainTips()
  let isFailing = false
  const written = (): DecisionRecord[] =>
    log.events
      .filter((event) => event.kind === 'decision.recorded')
      .map((event) => (event.data as { decision: DecisionRecord }).decision)
  const api: Pick<Api, 'review.decide' | 'review.verify' | 'merge.agreement'> = {
    'review.decide': async ({ decision }) => {
      if (isFailing) throw new Error('the disk is full')
      const sealed = tips.next(decision)
      const event = log.append('decision.recorded', { decision: sealed })
      log.notifyAppended()
      return { decision: sealed, seq: event.seq }
    },
    'review.verify': async () => verifyChains(written()),
    // As main computes it, over every annotator's decisions; main names the disagreements by id, which is
    // not import order: reversed here so a queue that kept main's order would fail.
    'merge.agreement': async () => {
      const bySample = new Map<string, DecisionRecord[]>()
      for (const decision of written())
        bySample.set(decision.sampleId, [...(bySample.get(decision.sampleId) ?? []), decision])
      const figures = agreementFigures(bySample)
      return { ...figures, disagreements: figures.disagreements.reverse() }
    },
  }
  const review = new ReviewState({ api, waitForSeq: (seq) => sync.waitForSeq(seq, 2_000) })
  review.open(db, log.projectId)
  await review.show()
  return { log, db, sync, review, imported, failNext: (failing: boolean) => (isFailing = failing) }
}

describe('the order candidates are shown in', () => {
  it('is a shuffle that depends on the sample and annotator, not on the order read', () => {
    const ids = Array.from({ length: 6 }, (_, k) => `cand-${k}`)
    const order = shownOrderFor(ids, 's1', 'me')
    expect([...order].sort()).toEqual([...ids].sort())
    expect(shownOrderFor([...ids].reverse(), 's1', 'me')).toEqual(order)
    const others = ['s2', 's3', 's4', 's5'].map((sample) => shownOrderFor(ids, sample, 'me').join())
    const annotators = ['ana', 'bo', 'cy'].map((who) => shownOrderFor(ids, 's1', who).join())
    // Not one fixed permutation: across samples and annotators at least one order differs.
    expect(new Set([order.join(), ...others, ...annotators]).size).toBeGreaterThan(1)
  })
})

describe('building decisions', () => {
  const context: DecisionContext = {
    id: '01900000-0000-7000-8000-000000000001',
    projectId: 'p1',
    sampleId: 's1',
    annotator: 'me',
    at: '2026-01-01T00:00:00.000Z',
    timeSpentMs: 1500,
    shownOrder: ['c2', 'c1'],
  }

  it('sets exactly the fields each kind needs', () => {
    expect(buildDecision({ kind: 'select', candidateId: 'c1' }, context)).toMatchObject({
      kind: 'select',
      candidateId: 'c1',
      editedText: null,
      shownOrder: ['c2', 'c1'],
    })
    const edit = buildDecision(
      { kind: 'edit', candidateId: 'c1', candidateText: 'The fox leapt.', editedText: 'The fox jumped.' },
      context,
    )
    expect(edit.editedText).toBe('The fox jumped.')
    expect(
      edit.diff
        ?.filter((part) => part.op !== 'delete')
        .map((part) => part.text)
        .join(''),
    ).toBe('The fox jumped.')
    expect(
      buildDecision(
        { kind: 'flag', candidateId: 'c2', reason: 'repetition', note: ' ', correction: 'Fixed.' },
        context,
      ).flag,
    ).toEqual({ reason: 'repetition', note: null, correction: 'Fixed.' })
    for (const kind of ['reject-all', 'skip'] as const)
      expect(buildDecision({ kind }, context)).toMatchObject({ kind, candidateId: null, undoes: null })
    expect(buildDecision({ kind: 'note', note: 'Check it.', candidateId: null }, context).note).toBe(
      'Check it.',
    )
    expect(
      buildDecision({ kind: 'undo', undoes: '01900000-0000-7000-8000-000000000009' }, context).undoes,
    ).toBe('01900000-0000-7000-8000-000000000009')
  })

  it('refuses in words what the schema refuses', () => {
    expect(() => buildDecision({ kind: 'select', candidateId: 'c9' }, context)).toThrow(/was not shown/)
    expect(() => buildDecision({ kind: 'note', note: '  ', candidateId: null }, context)).toThrow(
      /needs text/,
    )
  })
})

describe('the review state', () => {
  it('queues unreviewed samples with complete candidates in import order, and offers only complete ones', async () => {
    const { review, imported } = await project(4)
    expect(review.queue).toEqual(imported.slice(0, 3).map((sample) => sample.id)) // the last has none
    expect(review.item?.candidates).toHaveLength(3)
    expect(review.item?.candidates.every((candidate) => candidate.status === 'complete')).toBe(true)
    expect(review.item?.shownOrder).toEqual(review.item?.candidates.map((candidate) => candidate.id))
    expect(review.progress).toEqual({ done: 0, total: 4 })
  })

  it('records decisions as saved only after the store has them, and moves the queues', async () => {
    const { review, db, log, imported } = await project(4)
    const first = review.item!
    const saved = review.selectCandidate(1)
    expect(review.entries).toEqual([]) // a quick save is listed once saved, never as "saving"
    expect(await saved).toBe(true)
    expect(review.entries).toMatchObject([{ kind: 'select', status: 'saved' }])
    const stored = await db.decisions.get([log.projectId, review.entries[0]!.id])
    expect(stored).toMatchObject({
      candidateId: first.shownOrder[1],
      shownOrder: first.shownOrder,
      annotator: 'me',
    })
    expect(review.item?.review?.status).toBe('selected')

    await review.next()
    expect(await review.decideAndMoveOn({ kind: 'skip' })).toBe(true)
    expect(review.item?.sample.id).toBe(imported[2]?.id)

    await review.chooseQueue('unreviewed')
    expect(review.queue).toEqual([imported[2]?.id])
    await review.chooseQueue('skipped')
    expect(review.queue).toEqual([imported[1]?.id])
    expect(review.progress.done).toBe(1)
    expect((await review.verify(), review.verdict)).toMatchObject({ ok: true, decisions: 2 })
    expect(log.head().lastSeq).toBeGreaterThan(0)
  })

  it('undoes the latest decision in effect on the sample with an undo decision', async () => {
    const { review } = await project(2)
    await review.selectCandidate(0)
    await review.decide({ kind: 'reject-all' })
    expect(review.item?.review?.status).toBe('rejected')
    expect(await review.undo()).toBe(true)
    expect(review.entries[0]?.kind).toBe('undo')
    expect(review.item?.review?.status).toBe('selected')
  })

  it('shows a failure with its message and never as saved', async () => {
    const { review, failNext } = await project(2)
    failNext(true)
    expect(await review.selectCandidate(0)).toBe(false)
    expect(review.entries[0]).toMatchObject({ status: 'failed', error: 'the disk is full' })
  })

  it('stays "saving" while the store has not caught up', async () => {
    const { review, sync } = await project(2)
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const spy = vi.spyOn(sync, 'waitForSeq').mockImplementation(async () => gate)
    const saved = review.selectCandidate(0)
    await vi.waitFor(() => expect(spy).toHaveBeenCalled())
    // Listed as "saving" once it has taken long enough for a person to see it.
    await vi.waitFor(() => expect(review.entries[0]).toMatchObject({ kind: 'select', status: 'saving' }))
    release()
    expect(await saved).toBe(true)
  })
})

/** Counts the store reads of one review item (the one transaction over its four tables) from now on. */
function countItemReads(db: WinnowDb): () => number {
  const spy = vi.spyOn(db, 'transaction')
  const itemTables = [db.samples, db.candidates, db.reviews, db.decisions]
  return () =>
    spy.mock.calls.filter((args) => {
      const tables: unknown = args[1]
      return Array.isArray(tables) && tables.length === 4 && itemTables.every((t) => tables.includes(t))
    }).length
}

const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

// bench:review: reads started while a decision was saving queued in IndexedDB ahead of its write.
describe('the reads around a decision', () => {
  it('reads the next item ahead only once the decision in flight is saved', async () => {
    const { review, db, sync, imported } = await project(5)
    await settle() // the read-ahead of the second item, started on opening
    const itemReads = countItemReads(db)
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    vi.spyOn(sync, 'waitForSeq').mockImplementation(async () => gate)
    const saved = review.selectCandidate(0)
    await review.next()
    expect(review.item?.sample.id).toBe(imported[1]?.id)
    await settle()
    expect(itemReads()).toBe(0)
    release()
    expect(await saved).toBe(true)
    await vi.waitFor(() => expect(itemReads()).toBe(1)) // the third item, now
  })

  // bench:review: the next item drawn in the middle of the save held the store's callbacks up by a frame.
  it('moves on once the decision in flight is saved, or without it when saving is slow', async () => {
    const { review, sync, imported } = await project(5)
    const saved = review.selectCandidate(0)
    await review.next()
    expect(review.item?.sample.id).toBe(imported[1]?.id)
    expect(review.entries[0]?.status).toBe('saved') // drawn together with the next item
    expect(await saved).toBe(true)

    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    vi.spyOn(sync, 'waitForSeq').mockImplementation(async () => gate)
    const slow = review.selectCandidate(0)
    await review.next()
    expect(review.item?.sample.id).toBe(imported[2]?.id)
    await vi.waitFor(() => expect(review.entries[0]?.status).toBe('saving'))
    release()
    expect(await slow).toBe(true)
  })

  // bench:review: re-reading the item being left, to show its saved state, ran between "saved" and the next item.
  it('never re-reads the item it is moving on from, whether its page or its save comes first', async () => {
    const { review, db, sync, imported } = await project(5)
    await settle()
    const itemReads = countItemReads(db)
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    vi.spyOn(sync, 'waitForSeq').mockImplementation(async () => gate)
    const saved = review.selectCandidate(0)
    const movedOn = review.next() // waits a moment for the save
    await review.storeChanged({ decidedSampleIds: new Set([imported[0]!.id]) }) // its page is applied
    expect(itemReads()).toBe(0)
    release()
    expect(await saved).toBe(true)
    await movedOn
    expect(review.item?.sample.id).toBe(imported[1]?.id)
    await settle()
    expect(itemReads()).toBe(1) // only the third item, read ahead

    // Staying on the item, its saved state is read again.
    const stayed = await review.selectCandidate(1)
    expect(stayed).toBe(true)
    expect(itemReads()).toBe(2)
    expect(review.item?.review?.chosenCandidateId).toBe(review.item?.candidates[1]?.id)
  })

  it('re-reads only what a page of decisions touched', async () => {
    const { review, db, imported } = await project(5)
    await settle()
    const itemReads = countItemReads(db)
    await review.storeChanged({ decidedSampleIds: new Set([imported[3]!.id]) })
    expect(itemReads()).toBe(0)
    await review.storeChanged({ decidedSampleIds: new Set([imported[0]!.id]) })
    expect(itemReads()).toBe(1) // the item on screen
    await review.storeChanged('everything')
    expect(itemReads()).toBe(3) // on screen, and the one read ahead again
  })
})

describe('the queues beyond review state', () => {
  const unsure = (sampleId: string, meanLogprob: number) =>
    makeCandidate(sampleId, {
      text: `an unsure rewrite (${meanLogprob})`,
      logprobSummary: { tokens: 12, meanLogprob, meanTruncatedEntropy: 2, meanTop1Probability: 0.2 },
    })

  it('least confident first: unreviewed samples by their least confident candidate', async () => {
    const { review, log, sync, imported } = await project(6)
    const event = log.append('candidates.recorded', {
      candidates: [unsure(imported[3]!.id, -4), unsure(imported[1]!.id, -2), unsure(imported[0]!.id, -9)],
    })
    log.notifyAppended()
    await sync.waitForSeq(event.seq)
    expect(await review.selectCandidate(0)).toBe(true) // sample 0, the least sure of all, is decided
    await review.chooseQueue('least-confident')
    expect(review.queue.slice(0, 2)).toEqual([imported[3]!.id, imported[1]!.id])
    // The rest (all at −0.42) follow; the decided sample and the one without candidates do not.
    expect([...review.queue].sort()).toEqual([1, 2, 3, 4].map((i) => imported[i]!.id).sort())
    expect(review.item?.sample.id).toBe(imported[3]!.id)
  })

  it('my recent decisions: the samples this annotator decided, newest first', async () => {
    const { review, imported } = await project(5)
    expect(await review.selectCandidate(0)).toBe(true)
    await review.next()
    expect(await review.decideAndMoveOn({ kind: 'skip' })).toBe(true)
    await review.chooseQueue('recent')
    expect(review.queue).toEqual([imported[1]!.id, imported[0]!.id])
    await review.setAnnotator('someone else')
    expect(review.queue).toEqual([])
  })

  it('by model: only samples with a complete candidate of the chosen model, which the generation jobs name', async () => {
    const { review, log, sync, imported } = await project(5)
    const other = makeCandidate(imported[2]!.id, {
      text: 'from another model',
      provenance: { ...makeCandidate(imported[2]!.id).provenance, model: 'other:1b' },
    })
    log.append('candidates.recorded', { candidates: [other] })
    const job = makeJob(log.projectId, {
      kind: 'generate',
      params: {
        projectId: log.projectId,
        spec: { models: [{ model: 'qwen3:0.6b' }, { model: 'other:1b' }] },
      },
    })
    const event = log.append('job.changed', { job })
    log.notifyAppended()
    await sync.waitForSeq(event.seq)
    await review.chooseQueue('unreviewed')
    expect(review.models).toEqual(['other:1b', 'qwen3:0.6b'])
    await review.chooseModel('other:1b')
    expect(review.queue).toEqual([imported[2]!.id])
    await review.chooseModel(null)
    expect(review.queue).toHaveLength(4)
  })

  it('flagged, by reason', async () => {
    const { review, imported } = await project(4)
    const flag = (reason: string) =>
      review.decide({
        kind: 'flag',
        candidateId: review.item!.candidates[0]!.id,
        reason,
        note: '',
        correction: '',
      })
    expect(await flag('generic')).toBe(true)
    await review.next()
    expect(await flag('unsafe')).toBe(true)
    await review.chooseQueue('flagged')
    expect(review.queue).toEqual([imported[0]!.id, imported[1]!.id])
    await review.chooseFlagReason('unsafe')
    expect(review.queue).toEqual([imported[1]!.id])
    await review.chooseFlagReason(null)
    expect(review.queue).toHaveLength(2)
  })
})

describe('loading a queue', () => {
  it('pages past chunks and stops at the limit', async () => {
    const { db, log, imported } = await project(7)
    const ids = await loadQueue(db, log.projectId, 'all', { limit: 4, chunkSize: 2 })
    expect(ids).toEqual(imported.slice(0, 4).map((sample) => sample.id))
  })
})

/** The candidate ids of the item on screen, sorted: the same for every annotator, whatever order each sees. */
const byId = (item: ReviewItem | null): string[] => (item?.candidates ?? []).map((c) => c.id).sort()

type Verdict = 'reject-all' | { candidate: number } | null

/** One annotator's verdicts on the first samples, in import order (null: leaves that sample alone). */
async function reviewAs(review: ReviewState, annotator: string, verdicts: Verdict[]): Promise<void> {
  await review.setAnnotator(annotator)
  await review.chooseQueue('all')
  for (const [index, verdict] of verdicts.entries()) {
    expect(review.position).toBe(index)
    if (verdict === 'reject-all') expect(await review.decide({ kind: 'reject-all' })).toBe(true)
    else if (verdict !== null) {
      const candidateId = byId(review.item)[verdict.candidate]!
      expect(await review.decide({ kind: 'select', candidateId })).toBe(true)
    }
    await review.next()
  }
}

describe('the disagreements queue', () => {
  it('holds exactly the samples two annotators disagree on, in import order, with both verdicts', async () => {
    const { review, imported } = await project(5)
    // s0 both the same candidate · s1 alice rejects, bob selects · s2 alice selects, bob rejects ·
    // s3 alice only (no overlap) · s4 has no candidates.
    await reviewAs(review, 'alice', [{ candidate: 0 }, 'reject-all', { candidate: 1 }, 'reject-all'])
    await reviewAs(review, 'bob', [{ candidate: 0 }, { candidate: 2 }, 'reject-all'])

    await review.chooseQueue('disagreements')
    expect(review.queue).toEqual([imported[1]!.id, imported[2]!.id])
    expect(review.item?.sample.id).toBe(imported[1]!.id)
    const secondCandidates = byId(review.item)
    expect(review.item?.verdicts).toEqual([
      expect.objectContaining({ annotator: 'alice', status: 'rejected', chosenCandidateId: null }),
      expect.objectContaining({
        annotator: 'bob',
        status: 'selected',
        chosenCandidateId: secondCandidates[2],
      }),
    ])
    // Undo only ever sees the reviewer's own decisions; the verdicts show everyone's.
    expect(review.item?.decisions.every((decision) => decision.annotator === 'bob')).toBe(true)

    // Bob comes round to alice's view on s1: asked again, main no longer names it.
    expect(await review.decide({ kind: 'reject-all' })).toBe(true)
    await review.chooseQueue('disagreements')
    expect(review.queue).toEqual([imported[2]!.id])
  })

  it('is empty while only one annotator has decided', async () => {
    const { review } = await project(3)
    await reviewAs(review, 'alice', ['reject-all', { candidate: 0 }])
    await review.chooseQueue('disagreements')
    expect(review.queue).toEqual([])
    expect(review.item).toBeNull()
  })
})

describe('loading the disagreements queue', () => {
  it('orders the named samples by import, skips unknown ones and those without candidates, and pages', async () => {
    const { db, log, imported } = await project(5)
    const named = [imported[4]!.id, imported[3]!.id, 'not-a-sample', imported[0]!.id, imported[2]!.id]
    const first = await loadQueuePage(db, log.projectId, 'disagreements', { limit: 2, disagreements: named })
    expect(first.ids).toEqual([imported[0]!.id, imported[2]!.id])
    expect(first.nextAfterOrd).not.toBeNull()
    const rest = await loadQueuePage(db, log.projectId, 'disagreements', {
      limit: 2,
      afterOrd: first.nextAfterOrd!,
      disagreements: named,
    })
    expect(rest).toEqual({ ids: [imported[3]!.id], nextAfterOrd: null }) // the last sample has no candidates
  })
})
