// Review decisions for tests: valid unsealed decisions of each kind, with deterministic UUIDv7 ids, that a
// test overrides field by field.
import type { DecisionKind, UnsealedDecision } from '@shared/domain/decision'

/** A valid UUIDv7 numbered n, so tests can name decisions and sort them by creation. */
export const decisionIdOf = (n: number): string =>
  `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`

export const atOf = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString()

const nothing = { candidateId: null, editedText: null, diff: null, flag: null, note: null, undoes: null }

const byKind: Record<DecisionKind, Partial<UnsealedDecision>> = {
  select: { candidateId: 'c1' },
  edit: {
    candidateId: 'c1',
    editedText: 'The fox jumped.',
    diff: [
      { op: 'equal', text: 'The fox ' },
      { op: 'delete', text: 'leapt' },
      { op: 'insert', text: 'jumped' },
      { op: 'equal', text: '.' },
    ],
  },
  flag: { candidateId: 'c2', flag: { reason: 'factual-error', note: null, correction: null } },
  'reject-all': {},
  skip: {},
  undo: { undoes: decisionIdOf(999_999) },
  note: { note: 'Check the date against the source.' },
}

let made = 0

export function makeDecision(
  kind: DecisionKind,
  overrides: Partial<UnsealedDecision> = {},
): UnsealedDecision {
  made += 1
  return {
    id: decisionIdOf(made),
    projectId: 'p1',
    sampleId: 's1',
    kind,
    ...nothing,
    ...byKind[kind],
    annotator: 'alice',
    at: atOf(made),
    timeSpentMs: 1200,
    shownOrder: ['c1', 'c2', 'c3'],
    ...overrides,
  }
}
