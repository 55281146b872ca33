// Review decisions: one append-only, hash-chained event per action a person takes on a sample and its
// candidates. The schema refuses combinations that mean nothing (an edit without text, a flag without a
// reason), so the reducer and the chain never have to guess what a stored decision meant.
import { z } from 'zod'
import { importedFrom } from './import-source'

export type FlagReason = { id: string; label: string }

/** The default taxonomy; a project may configure its own, so a stored reason is any kebab-case id. */
export const flagReasons: FlagReason[] = [
  { id: 'factual-error', label: 'Factual error' },
  { id: 'meaning-changed', label: 'Meaning changed or information lost' },
  { id: 'hallucinated-addition', label: 'Hallucinated addition' },
  { id: 'repetition', label: 'Repetition or degeneration' },
  { id: 'generic', label: 'Generic or template-like' },
  { id: 'style-tic', label: 'Style tic' },
  { id: 'unsafe', label: 'Unsafe' },
  { id: 'instruction-not-followed', label: 'Instruction not followed' },
  { id: 'formatting-broken', label: 'Formatting broken' },
  { id: 'other', label: 'Other' },
]

export const decisionKinds = ['select', 'edit', 'flag', 'reject-all', 'skip', 'undo', 'note'] as const
export const decisionKind = z.enum(decisionKinds)
export type DecisionKind = z.infer<typeof decisionKind>

const decisionId = z.uuid({ version: 'v7' })
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const diffPart = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })
export type DiffPart = z.infer<typeof diffPart>

export const decisionFlag = z.object({
  reason: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a flag reason is a kebab-case id'),
  note: z.string().nullable(),
  correction: z.string().nullable(),
})
export type DecisionFlag = z.infer<typeof decisionFlag>

const unsealedFields = z.object({
  id: decisionId,
  projectId: z.string().min(1),
  sampleId: z.string().min(1),
  kind: decisionKind,
  /** The candidate selected, edited or flagged (or that a note is about). */
  candidateId: z.string().min(1).nullable(),
  editedText: z.string().nullable(),
  /** Word diff of editedText against the candidate's text, computed by the caller when it records the edit. */
  diff: z.array(diffPart).nullable(),
  flag: decisionFlag.nullable(),
  note: z.string().nullable(),
  /** The id of the decision an undo cancels. */
  undoes: decisionId.nullable(),
  /** A local profile id. */
  annotator: z.string().min(1),
  at: z.iso.datetime(),
  timeSpentMs: z.number().int().nonnegative(),
  /** Candidate ids in the order the person saw them: position bias is measurable only if it is recorded. */
  shownOrder: z.array(z.string().min(1)),
  /**
   * Set on a decision imported from another tool's export (decision.recorded v2): its file, the tool's ids,
   * and the annotator and time as the tool recorded them. Absent on decisions made in Winnow.
   */
  imported: importedFrom.optional(),
})

type OptionalField = 'candidateId' | 'editedText' | 'diff' | 'flag' | 'note' | 'undoes'
type FieldRule = { needs: OptionalField[]; allows?: OptionalField[] }

/** Which of the kind-specific fields each kind must have and may have; every other one must be null. */
const fieldRules: Record<DecisionKind, FieldRule> = {
  select: { needs: ['candidateId'] },
  edit: { needs: ['candidateId', 'editedText'], allows: ['diff'] },
  flag: { needs: ['candidateId', 'flag'] },
  'reject-all': { needs: [] },
  skip: { needs: [] },
  undo: { needs: ['undoes'] },
  note: { needs: ['note'], allows: ['candidateId'] },
}
const optionalFields: OptionalField[] = ['candidateId', 'editedText', 'diff', 'flag', 'note', 'undoes']

function checkDecision(d: z.infer<typeof unsealedFields>, ctx: z.RefinementCtx): void {
  const rule = fieldRules[d.kind]
  for (const field of optionalFields) {
    const isPresent = d[field] !== null
    if (rule.needs.includes(field) && !isPresent)
      ctx.addIssue({ code: 'custom', path: [field], message: `${d.kind} needs ${field}` })
    if (isPresent && !rule.needs.includes(field) && !rule.allows?.includes(field))
      ctx.addIssue({ code: 'custom', path: [field], message: `${field} must be null for ${d.kind}` })
  }
  if (d.kind === 'note' && d.note !== null && d.note.trim() === '')
    ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note needs text' })
  if (d.kind === 'undo' && d.undoes === d.id)
    ctx.addIssue({ code: 'custom', path: ['undoes'], message: 'a decision cannot undo itself' })
  // A person can act only on what was on screen; a candidate outside shownOrder means a confused caller.
  if (d.candidateId !== null && !d.shownOrder.includes(d.candidateId))
    ctx.addIssue({ code: 'custom', path: ['candidateId'], message: 'the candidate was not shown' })
  if (new Set(d.shownOrder).size !== d.shownOrder.length)
    ctx.addIssue({ code: 'custom', path: ['shownOrder'], message: 'a candidate was shown twice' })
  // The candidate's text is not here, but the diff's new side must be exactly the text that was saved.
  if (d.diff !== null && d.editedText !== null) {
    const newSide = d.diff
      .filter((part) => part.op !== 'delete')
      .map((part) => part.text)
      .join('')
    if (newSide !== d.editedText)
      ctx.addIssue({ code: 'custom', path: ['diff'], message: 'the diff does not produce editedText' })
  }
}

/** A decision as the UI or a service builds it, before the chain seals it. */
export const unsealedDecision = unsealedFields.superRefine(checkDecision)
export type UnsealedDecision = z.infer<typeof unsealedDecision>

export const decisionRecord = unsealedFields
  .extend({
    /** The hash of the previous decision in this project and annotator's chain; null for the first. */
    prevHash: sha256Hex.nullable(),
    /** SHA-256 of the canonical JSON of every other field (see decision-chain.ts). */
    hash: sha256Hex,
  })
  .superRefine(checkDecision)
export type DecisionRecord = z.infer<typeof decisionRecord>
