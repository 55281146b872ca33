// Builds the decision a review action records: the fields each kind needs and nothing else (the schema
// refuses the rest), with the diff of an edit computed here from the text the person started from.
import { flagReasons, unsealedDecision, type DecisionKind, type FlagReason } from '@shared/domain/decision'
import type { UnsealedDecision } from '@shared/domain/decision'
import { wordDiff } from '@shared/text/word-diff'

/** Who, where and when: the same for every kind. */
export interface DecisionContext {
  id: string
  projectId: string
  sampleId: string
  annotator: string
  at: string
  timeSpentMs: number
  shownOrder: readonly string[]
}

export type DecisionInput =
  | { kind: 'select'; candidateId: string }
  | { kind: 'edit'; candidateId: string; candidateText: string; editedText: string }
  | { kind: 'flag'; candidateId: string; reason: string; note: string; correction: string }
  | { kind: 'reject-all' }
  | { kind: 'skip' }
  | { kind: 'undo'; undoes: string }
  | { kind: 'note'; note: string; candidateId: string | null }

export type { DecisionKind, FlagReason }
export const defaultFlagReasons: readonly FlagReason[] = flagReasons

/** Empty optional text means "none": a blank note or correction is not worth storing. */
const orNull = (text: string): string | null => (text.trim() === '' ? null : text)

export function buildDecision(input: DecisionInput, context: DecisionContext): UnsealedDecision {
  const base = {
    ...context,
    shownOrder: [...context.shownOrder],
    kind: input.kind,
    candidateId: null,
    editedText: null,
    diff: null,
    flag: null,
    note: null,
    undoes: null,
  }
  const specific = ((): Partial<UnsealedDecision> => {
    switch (input.kind) {
      case 'select':
        return { candidateId: input.candidateId }
      case 'edit':
        return {
          candidateId: input.candidateId,
          editedText: input.editedText,
          diff: wordDiff(input.candidateText, input.editedText),
        }
      case 'flag':
        return {
          candidateId: input.candidateId,
          flag: { reason: input.reason, note: orNull(input.note), correction: orNull(input.correction) },
        }
      case 'undo':
        return { undoes: input.undoes }
      case 'note':
        return { note: input.note, candidateId: input.candidateId }
      default:
        return {}
    }
  })()
  const parsed = unsealedDecision.safeParse({ ...base, ...specific })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`This ${input.kind} cannot be recorded: ${issue?.message ?? 'invalid decision'}.`)
  }
  return parsed.data
}
