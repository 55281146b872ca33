// A sample's review state, derived from its decisions in log order. Status is never stored: it is what the
// decisions still in effect say, so undo is a new decision and the state after it is recomputed, not
// reversed. The semantics, all in one place:
//   - select, edit, reject-all and skip set the status; the latest of them still in effect wins. An edit
//     is a select of that candidate with the person's text.
//   - flags and notes accumulate, in log order; a later status change does not clear them.
//   - an undo cancels the decision it names, if that decision is earlier, of this sample and still in
//     effect. An undo is never itself in effect, so it cannot be undone: redo is a new decision. An undo
//     that names anything else cancels nothing (the writer refuses such undos; a replayed or merged log
//     may still hold one, and it must not break the projection).
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
  /** Ids of the decisions in effect, in log order. */
  active: string[]
}

const statusOf: Partial<Record<DecisionRecord['kind'], ReviewStatus>> = {
  select: 'selected',
  edit: 'edited',
  'reject-all': 'rejected',
  skip: 'skipped',
}

/** The decisions not cancelled by an undo, in log order; undos themselves are never in effect. */
export function decisionsInEffect(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  const sampleId = decisions[0]?.sampleId
  const inEffect: DecisionRecord[] = []
  for (const d of decisions) {
    if (d.sampleId !== sampleId)
      throw new Error(`review state: decisions of ${sampleId} and ${d.sampleId} mixed`)
    if (d.kind !== 'undo') inEffect.push(d)
    else {
      const target = inEffect.findIndex((candidate) => candidate.id === d.undoes)
      if (target >= 0) inEffect.splice(target, 1)
    }
  }
  return inEffect
}

export function reduceSampleReview(decisions: readonly DecisionRecord[]): SampleReview {
  const inEffect = decisionsInEffect(decisions)
  const review: SampleReview = {
    status: 'unreviewed',
    chosenCandidateId: null,
    finalText: null,
    flags: [],
    notes: [],
    decisionCount: decisions.length,
    lastDecisionAt: decisions.at(-1)?.at ?? null,
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

/** The id the next undo (the UI's `z`) would cancel: the latest decision in effect, or null. */
export function undoTarget(decisions: readonly DecisionRecord[]): string | null {
  return decisionsInEffect(decisions).at(-1)?.id ?? null
}

/** Whether an undo naming `targetId`, appended now, would cancel something; the writer refuses it if not. */
export function isUndoable(decisions: readonly DecisionRecord[], targetId: string): boolean {
  return decisionsInEffect(decisions).some((d) => d.id === targetId)
}
