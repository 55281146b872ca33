// A sample's review state, derived from its decisions in canonical order. Status is never stored: it is what
// the decisions still in effect say, so undo is a new decision and the state after it is recomputed, not
// reversed. The semantics, all in one place:
//   - canonical order (orderDecisions) is by decision time `at`, then id: not log order, so that logs merged
//     from several annotators in any order give the same state. Each annotator's own decisions on a sample
//     are in log order too (the writer refuses a decision stamped earlier than that annotator's last one on
//     the sample), so for one person this is exactly what they did.
//   - select, edit, reject-all and skip set the status; the latest of them still in effect wins. An edit
//     is a select of that candidate with the person's text.
//   - flags and notes accumulate, in canonical order; a later status change does not clear them.
//   - an undo cancels the decision it names, if that decision is earlier, of this sample, by the same
//     annotator and still in effect (an undo cancels its annotator's own decision, never someone else's).
//     An undo is never itself in effect, so it cannot be undone: redo is a new decision. An undo that
//     names anything else cancels nothing (the writer refuses such undos; a replayed or merged log may
//     still hold one, and it must not break the projection).
//   - after an undo the state is exactly as if the undone decision had never been recorded.
// Whose decisions count is the caller's choice: pass one annotator's to get their view of the sample.
import type { DecisionRecord } from './decision'

export type ReviewStatus = 'unreviewed' | 'selected' | 'edited' | 'rejected' | 'skipped'
export type ReviewFlag = {
  decisionId: string
  candidateId: string
  reason: string
  note: string | null
  correction: string | null
}
/** candidateId is set when the note is about one candidate rather than the sample. */
export type ReviewNote = { decisionId: string; candidateId: string | null; text: string }

export type SampleReview = {
  status: ReviewStatus
  chosenCandidateId: string | null
  /** The edited text when status is 'edited'; otherwise null (the chosen candidate's text is the caller's). */
  finalText: string | null
  flags: ReviewFlag[]
  notes: ReviewNote[]
  /** Every decision recorded for the sample, undos and cancelled ones included. */
  decisionCount: number
  /** When the sample was last acted on (an undo counts). */
  lastDecisionAt: string | null
  /** Ids of the decisions in effect, in canonical order. */
  active: string[]
}

const statusOf: Partial<Record<DecisionRecord['kind'], ReviewStatus>> = {
  select: 'selected',
  edit: 'edited',
  'reject-all': 'rejected',
  skip: 'skipped',
}

type Ordered = Pick<DecisionRecord, 'at' | 'id'>

/** The canonical order of decisions: by time, then id (UUIDv7, so also by time); the same for any log. */
export function compareDecisions(a: Ordered, b: Ordered): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at)
  if (byTime !== 0) return byTime
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The decisions in canonical order, whatever order they came in: every reader of review state (main's undo
 * check, the store's projection, tests comparing the two) goes through this, so merging another
 * annotator's log before or after one's own gives the same state. A copy; the input is left as it is.
 */
export function orderDecisions<D extends Ordered>(decisions: readonly D[]): D[] {
  return [...decisions].sort(compareDecisions)
}

/** The decisions not cancelled by an undo, in canonical order; undos themselves are never in effect. */
export function decisionsInEffect(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  const sampleId = decisions[0]?.sampleId
  const inEffect: DecisionRecord[] = []
  for (const d of orderDecisions(decisions)) {
    if (d.sampleId !== sampleId)
      throw new Error(`review state: decisions of ${sampleId} and ${d.sampleId} mixed`)
    if (d.kind !== 'undo') inEffect.push(d)
    else {
      const target = inEffect.findIndex((c) => c.id === d.undoes && c.annotator === d.annotator)
      if (target >= 0) inEffect.splice(target, 1)
    }
  }
  return inEffect
}

export function reduceSampleReview(decisions: readonly DecisionRecord[]): SampleReview {
  const inEffect = decisionsInEffect(decisions)
  const last = decisions.reduce<DecisionRecord | undefined>(
    (latest, d) => (latest === undefined || compareDecisions(d, latest) > 0 ? d : latest),
    undefined,
  )
  const review: SampleReview = {
    status: 'unreviewed',
    chosenCandidateId: null,
    finalText: null,
    flags: [],
    notes: [],
    decisionCount: decisions.length,
    lastDecisionAt: last?.at ?? null,
    active: inEffect.map((d) => d.id),
  }
  for (const d of inEffect) {
    const status = statusOf[d.kind]
    if (status !== undefined) {
      review.status = status
      review.chosenCandidateId = d.kind === 'select' || d.kind === 'edit' ? d.candidateId : null
      review.finalText = d.kind === 'edit' ? d.editedText : null
    }
    if (d.kind === 'flag' && d.flag !== null && d.candidateId !== null)
      review.flags.push({ decisionId: d.id, candidateId: d.candidateId, ...d.flag })
    if (d.kind === 'note' && d.note !== null)
      review.notes.push({ decisionId: d.id, candidateId: d.candidateId, text: d.note })
  }
  return review
}

/** The id `annotator`'s next undo (the UI's `z`) would cancel: their latest decision in effect, or null. */
export function undoTarget(decisions: readonly DecisionRecord[], annotator: string): string | null {
  return decisionsInEffect(decisions).findLast((d) => d.annotator === annotator)?.id ?? null
}

/**
 * Whether an undo by `annotator` naming `targetId`, appended now, would cancel something; the writer
 * refuses it if not.
 */
export function isUndoable(
  decisions: readonly DecisionRecord[],
  targetId: string,
  annotator: string,
): boolean {
  return decisionsInEffect(decisions).some((d) => d.id === targetId && d.annotator === annotator)
}

/**
 * Whether a decision by its annotator, stamped `at`, keeps that annotator's decisions on the sample in
 * log order under the canonical order; the writer refuses one stamped earlier (a clock set back), since
 * it would be read as having come before what the person already did.
 */
export function isInOrderForAnnotator(
  decisions: readonly DecisionRecord[],
  next: Pick<DecisionRecord, 'annotator' | 'at' | 'id'>,
): boolean {
  return decisions.every((d) => d.annotator !== next.annotator || compareDecisions(d, next) < 0)
}
