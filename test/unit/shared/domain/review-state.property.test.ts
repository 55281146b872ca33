// Review state against a reference model: random sequences of select, edit, flag, reject-all, skip, undo and
// note over a few samples, recorded the way the app will (sealed by the chain, checked by the schema). After
// every command, each sample's reduced state equals what a naive model of "actions with undone marks"
// says, the `z` key's undo target agrees, and every chain in the log verifies.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src-renderer/db/database'
import { applyEvents } from '../../../../src-renderer/db/projection'
import { getReview, tallyReviews } from '../../../../src-renderer/db/repos/decisions.repo'
import { FakeProjectLog } from '../../../fakes/fake-project-log'
import type { DecisionKind, DecisionRecord, UnsealedDecision } from '@shared/domain/decision'
import { decisionRecord, flagReasons } from '@shared/domain/decision'
import { ChainTips, chainKey, verifyChains } from '@shared/domain/decision-chain'
import type { SampleReview } from '@shared/domain/review-state'
import { isUndoable, reduceSampleReview, undoTarget } from '@shared/domain/review-state'
import { atOf, decisionIdOf, makeDecision } from '../../../factories/decisions'

type Sample = { id: string; projectId: string; candidates: string[] }

/** What the person does; indexes are taken modulo what exists, so every generated command is meaningful. */
type Action =
  | { kind: 'select'; candidate: number }
  | { kind: 'edit'; candidate: number; text: string }
  | { kind: 'flag'; candidate: number; reason: string; note: string | null; correction: string | null }
  | { kind: 'reject-all' }
  | { kind: 'skip' }
  | { kind: 'note'; candidate: number | null; text: string }
  /** latest: the `z` key. any: a stale or foreign id from the log. next: the id the next decision will get. */
  | { kind: 'undo'; target: { pick: 'latest' } | { pick: 'any'; n: number } | { pick: 'next' } }

type Command = { sample: number; annotator: string; order: number[]; timeSpentMs: number; action: Action }

// The reference model: every action recorded as it was asked for, with an `undone` mark set by a later undo.
type Entry = {
  id: string
  sampleId: string
  chain: string
  annotator: string
  kind: DecisionKind
  candidateId: string | null
  text: string | null
  flag: { reason: string; note: string | null; correction: string | null } | null
  at: string
  undone: boolean
}
type Model = { samples: Sample[]; entries: Entry[] }
type Real = { log: DecisionRecord[]; tips: ChainTips }

const candidateText = (candidateId: string): string => `Text of ${candidateId}.`

function liveEntries(model: Model, sampleId: string): Entry[] {
  return model.entries.filter((e) => e.sampleId === sampleId && e.kind !== 'undo' && !e.undone)
}

function modelUndoTarget(model: Model, sampleId: string, annotator: string): string | null {
  const live = liveEntries(model, sampleId).filter((e) => e.annotator === annotator)
  return live.length === 0 ? null : live[live.length - 1]!.id
}

function modelReview(model: Model, sampleId: string): SampleReview {
  const all = model.entries.filter((e) => e.sampleId === sampleId)
  const live = liveEntries(model, sampleId)
  let last: Entry | undefined
  for (const e of live) if (['select', 'edit', 'reject-all', 'skip'].includes(e.kind)) last = e
  const statusByKind = {
    select: 'selected',
    edit: 'edited',
    'reject-all': 'rejected',
    skip: 'skipped',
  } as const
  return {
    status: last === undefined ? 'unreviewed' : statusByKind[last.kind as keyof typeof statusByKind],
    chosenCandidateId: last?.kind === 'select' || last?.kind === 'edit' ? last.candidateId : null,
    finalText: last?.kind === 'edit' ? last.text : null,
    flags: live
      .filter((e) => e.kind === 'flag')
      .map((e) => ({ decisionId: e.id, candidateId: e.candidateId!, ...e.flag! })),
    notes: live
      .filter((e) => e.kind === 'note')
      .map((e) => ({ decisionId: e.id, candidateId: e.candidateId, text: e.text! })),
    decisionCount: all.length,
    lastDecisionAt: all.length === 0 ? null : all[all.length - 1]!.at,
    active: live.map((e) => e.id),
  }
}

const nothing = { candidateId: null, editedText: null, diff: null, flag: null, note: null, undoes: null }

/** The decision the app would record for a command, as the UI builds it. */
function decisionFor(command: Command, sample: Sample, model: Model, real: Real): UnsealedDecision {
  const { action } = command
  const n = model.entries.length + 1
  const base = {
    id: decisionIdOf(n),
    projectId: sample.projectId,
    sampleId: sample.id,
    kind: action.kind,
    ...nothing,
    annotator: command.annotator,
    at: atOf(n),
    timeSpentMs: command.timeSpentMs,
    shownOrder: command.order.map((i) => sample.candidates[i]!),
  }
  const candidate = (i: number): string => sample.candidates[i % sample.candidates.length]!
  switch (action.kind) {
    case 'select':
      return { ...base, candidateId: candidate(action.candidate) }
    case 'edit': {
      const candidateId = candidate(action.candidate)
      const diff = [
        { op: 'delete' as const, text: candidateText(candidateId) },
        { op: 'insert' as const, text: action.text },
      ]
      return { ...base, candidateId, editedText: action.text, diff }
    }
    case 'flag':
      return {
        ...base,
        candidateId: candidate(action.candidate),
        flag: { reason: action.reason, note: action.note, correction: action.correction },
      }
    case 'note':
      return {
        ...base,
        candidateId: action.candidate === null ? null : candidate(action.candidate),
        note: action.text,
      }
    case 'undo': {
      const { target } = action
      const ofSample = real.log.filter((d) => d.sampleId === sample.id)
      const undoes =
        target.pick === 'latest'
          ? undoTarget(ofSample, command.annotator)
          : target.pick === 'next'
            ? decisionIdOf(n + 1)
            : model.entries[target.n % model.entries.length]!.id
      expect(undoes).not.toBeNull()
      return { ...base, undoes }
    }
    default:
      return base
  }
}

/** The model's own, independent reading of the same command. */
function recordInModel(model: Model, decision: UnsealedDecision): void {
  if (decision.kind === 'undo') {
    const target = model.entries.find((e) => e.id === decision.undoes)
    // An undo cancels only its own annotator's decision.
    if (
      target &&
      target.sampleId === decision.sampleId &&
      target.annotator === decision.annotator &&
      target.kind !== 'undo' &&
      !target.undone
    )
      target.undone = true
  }
  model.entries.push({
    id: decision.id,
    sampleId: decision.sampleId,
    chain: `${decision.projectId}/${decision.annotator}`,
    annotator: decision.annotator,
    kind: decision.kind,
    candidateId: decision.candidateId,
    text: decision.kind === 'note' ? decision.note : decision.editedText,
    flag: decision.flag,
    at: decision.at,
    undone: false,
  })
}

class Act implements fc.Command<Model, Real> {
  constructor(readonly command: Command) {}

  check(model: Readonly<Model>): boolean {
    const { action } = this.command
    if (action.kind !== 'undo') return true
    if (action.target.pick === 'latest')
      return modelUndoTarget(model, this.sampleOf(model).id, this.command.annotator) !== null
    return action.target.pick === 'next' || model.entries.length > 0
  }

  run(model: Model, real: Real): void {
    const sample = this.sampleOf(model)
    if (this.command.action.kind === 'undo' && this.command.action.target.pick === 'latest')
      expect(
        undoTarget(
          real.log.filter((d) => d.sampleId === sample.id),
          this.command.annotator,
        ),
      ).toBe(modelUndoTarget(model, sample.id, this.command.annotator))
    const decision = decisionFor(this.command, sample, model, real)
    real.log.push(decisionRecord.parse(real.tips.next(decision)))
    recordInModel(model, decision)

    for (const s of model.samples) {
      const ofSample = real.log.filter((d) => d.sampleId === s.id)
      expect(reduceSampleReview(ofSample)).toEqual(modelReview(model, s.id))
      for (const annotator of ['alice', 'bob'])
        expect(undoTarget(ofSample, annotator)).toBe(modelUndoTarget(model, s.id, annotator))
    }
    const chains = new Set(model.entries.map((e) => e.chain)).size
    expect(verifyChains(real.log)).toEqual({ ok: true, decisions: model.entries.length, chains })
  }

  sampleOf(model: Readonly<Model>): Sample {
    return model.samples[this.command.sample % model.samples.length]!
  }

  toString(): string {
    return JSON.stringify(this.command)
  }
}

const index = fc.nat({ max: 2 })
const shortText = fc.string({ maxLength: 12 })
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('select' as const), candidate: index }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('edit' as const), candidate: index, text: shortText }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('flag' as const),
      candidate: index,
      reason: fc.constantFrom(...flagReasons.map((r) => r.id)),
      note: fc.option(shortText, { nil: null }),
      correction: fc.option(shortText, { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject-all' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('skip' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('note' as const),
      candidate: fc.option(index, { nil: null }),
      text: shortText.map((s) => `note ${s}`),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('undo' as const),
      target: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ pick: 'latest' as const }) },
        { weight: 2, arbitrary: fc.record({ pick: fc.constant('any' as const), n: fc.nat() }) },
        { weight: 1, arbitrary: fc.constant({ pick: 'next' as const }) },
      ),
    }),
  },
)

const commandArb = fc
  .record({
    sample: fc.nat({ max: 2 }),
    annotator: fc.constantFrom('alice', 'bob'),
    order: fc.shuffledSubarray([0, 1, 2], { minLength: 3 }),
    timeSpentMs: fc.nat({ max: 600_000 }),
    action: actionArb,
  })
  .map((command) => new Act(command))

/** One to three samples of three candidates, each in one of two projects. */
const samplesArb = fc.array(fc.constantFrom('p1', 'p2'), { minLength: 1, maxLength: 3 }).map((projects) =>
  projects.map((projectId, i) => ({
    id: `s${i}`,
    projectId,
    candidates: [0, 1, 2].map((c) => `s${i}-c${c}`),
  })),
)

describe('review state', () => {
  it('equals the reference model after every command, and every chain verifies', () => {
    fc.assert(
      fc.property(
        samplesArb,
        fc.commands([commandArb], { maxCommands: 40, size: 'max' }),
        (samples, commands) => {
          fc.modelRun(
            () => ({ model: { samples, entries: [] }, real: { log: [], tips: new ChainTips() } }),
            commands,
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('review state in the store', () => {
  it('equals the reference model after the log is projected in pages of any size, some applied twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        samplesArb,
        fc.array(commandArb, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }),
        async (samples, acts, pageSizes) => {
          const model: Model = { samples, entries: [] }
          const real: Real = { log: [], tips: new ChainTips() }
          for (const act of acts) if (act.check(model)) act.run(model, real)
          // One project log per project, as on disk; the store is the app's own, in fake IndexedDB.
          const { db } = await openDatabase(`winnow-review-property-${randomUUID()}`)
          try {
            for (const projectId of new Set(samples.map((sample) => sample.projectId))) {
              const log = new FakeProjectLog(projectId)
              for (const decision of real.log.filter((d) => d.projectId === projectId))
                log.append('decision.recorded', { decision })
              let at = 0
              for (let page = 0; at < log.events.length; page++) {
                const size = pageSizes[page % pageSizes.length]!
                // Every other page starts one event early: an overlapping page must change nothing.
                const from = page % 2 === 1 ? Math.max(0, at - 1) : at
                await applyEvents(db, projectId, log.events.slice(from, at + size), log.head())
                at += size
              }
              for (const sample of samples.filter((s) => s.projectId === projectId)) {
                const stored = await getReview(db, projectId, sample.id)
                const hasDecisions = model.entries.some((e) => e.sampleId === sample.id)
                if (!hasDecisions) expect(stored).toBeUndefined()
                else
                  expect(stored).toEqual({ ...modelReview(model, sample.id), projectId, sampleId: sample.id })
              }
              // The progress tallies, kept with the reviews, equal a count of the model's reviews by status.
              for (const status of ['unreviewed', 'selected', 'edited', 'rejected', 'skipped'] as const) {
                const expected = samples.filter(
                  (s) =>
                    s.projectId === projectId &&
                    model.entries.some((e) => e.sampleId === s.id) &&
                    modelReview(model, s.id).status === status,
                ).length
                expect(await tallyReviews(db, projectId, status)).toBe(expected)
              }
            }
          } finally {
            db.close()
          }
        },
      ),
      { numRuns: 150 },
    )
  }, 120_000)
})

describe('review state, by example', () => {
  const sampleLog = (...kinds: [DecisionKind, Partial<UnsealedDecision>?][]): DecisionRecord[] => {
    const tips = new ChainTips()
    return kinds.map(([kind, overrides]) => tips.next(makeDecision(kind, overrides)))
  }

  it('starts unreviewed', () => {
    expect(reduceSampleReview([])).toMatchObject({
      status: 'unreviewed',
      decisionCount: 0,
      lastDecisionAt: null,
    })
    expect(undoTarget([], 'alice')).toBeNull()
  })

  it('restores the earlier choice when the later one is undone, and keeps flags across status changes', () => {
    const [select, flag, edit] = sampleLog(['select', { candidateId: 'c2' }], ['flag'], ['edit'])
    const undo = sampleLog(['undo', { undoes: edit!.id }])[0]!
    const review = reduceSampleReview([select!, flag!, edit!, undo])
    expect(review).toMatchObject({
      status: 'selected',
      chosenCandidateId: 'c2',
      finalText: null,
      decisionCount: 4,
    })
    expect(review.flags.map((f) => f.decisionId)).toEqual([flag!.id])
    expect(review.active).toEqual([select!.id, flag!.id])
    expect(review.lastDecisionAt).toBe(undo.at)
  })

  it('ignores an undo of an undo, an undo named before its target, and a second undo of the same decision', () => {
    const [select] = sampleLog(['select'])
    const undo = makeDecision('undo', { undoes: select!.id })
    const skipId = decisionIdOf(500_000)
    const early = makeDecision('undo', { undoes: skipId })
    const skip = makeDecision('skip', { id: skipId })
    const tips = new ChainTips()
    tips.observe(select!)
    const log = [
      select!,
      tips.next(undo),
      tips.next(makeDecision('undo', { undoes: undo.id })),
      tips.next(makeDecision('undo', { undoes: select!.id })),
      tips.next(early),
      tips.next(skip),
    ]
    expect(reduceSampleReview(log)).toMatchObject({ status: 'skipped', active: [skipId], decisionCount: 6 })
    expect(isUndoable(log, select!.id, 'alice')).toBe(false)
    expect(isUndoable(log, undo.id, 'alice')).toBe(false)
    expect(isUndoable(log, skipId, 'alice')).toBe(true)
    expect(isUndoable(log, skipId, 'bob')).toBe(false)
    expect(verifyChains(log)).toMatchObject({ ok: true })
  })

  it('reads decisions in canonical order (time, then id), whatever order they come in', () => {
    const alice = sampleLog(['select', { candidateId: 'c1' }], ['flag'])
    const bob = sampleLog(['reject-all', { annotator: 'bob' }], ['note', { annotator: 'bob' }])
    const merged = [alice[0]!, bob[0]!, alice[1]!, bob[1]!]
    const review = reduceSampleReview(merged)
    expect(review).toMatchObject({ status: 'rejected', lastDecisionAt: bob[1]!.at })
    expect(reduceSampleReview([...alice, ...bob])).toEqual(review)
    expect(reduceSampleReview([...bob, ...alice])).toEqual(review)
    expect(reduceSampleReview([...merged].reverse())).toEqual(review)
  })

  it("lets an undo cancel only its own annotator's decision", () => {
    const [select] = sampleLog(['select', { candidateId: 'c2' }])
    const byBob = sampleLog(['undo', { annotator: 'bob', undoes: select!.id }])[0]!
    expect(reduceSampleReview([select!, byBob])).toMatchObject({ status: 'selected', active: [select!.id] })
    expect(isUndoable([select!], select!.id, 'bob')).toBe(false)
    expect(undoTarget([select!], 'bob')).toBeNull()
    expect(undoTarget([select!], 'alice')).toBe(select!.id)
  })

  it('refuses decisions of two samples mixed together', () => {
    const log = sampleLog(['select'], ['skip', { sampleId: 's2' }])
    expect(() => reduceSampleReview(log)).toThrow(/mixed/)
  })

  it('keys chains the same way the model does', () => {
    expect(chainKey({ projectId: 'p1', annotator: 'alice' })).toBe('p1\u0000alice')
  })
})
