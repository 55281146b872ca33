// What a mapper makes of one record of another tool's export, before it has project ids: the sample, the
// candidates shown, and what each annotator did — keyed by the tool's own ids so a re-import finds the same
// ones. Mappers are pure: a record they cannot map is a reason, never an exception or a silent drop.

export interface ToolCandidate {
  /** Stable within the sample: the tool's option id, field name or list item id. */
  key: string
  text: string
  /** The model the tool says wrote it; null where it does not say. */
  model: string | null
}

export interface ToolDecision {
  /** Stable within the record: the tool's annotation id or response, and the part of it this is. */
  key: string
  /** The annotator exactly as the tool names them; null where the export does not say. */
  annotator: string | null
  /** ISO time the tool recorded for it, or null. */
  at: string | null
  timeSpentMs: number
  kind: 'select' | 'edit' | 'reject-all' | 'skip' | 'note'
  /** The candidate selected, edited or noted (its key). */
  candidateKey: string | null
  editedText: string | null
  note: string | null
  /** The tool's id of the annotation, kept in the decision's import record. */
  recordId: string | null
}

export interface ToolRecord {
  text: string
  /** The tool's id of the input, namespaced (prodigy:…, label-studio:…, argilla:…); null if it has none. */
  externalId: string | null
  /** Everything about the input that is not an annotation: identical for every annotator's copy of it. */
  meta: Record<string, unknown>
  candidates: ToolCandidate[]
  decisions: ToolDecision[]
}

export type ToolMapping = { ok: true; record: ToolRecord } | { ok: false; reason: string }

export type ToolMapper = (fields: Record<string, unknown>, textField: string) => ToolMapping

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

export const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== ''

/** A text someone could have written as an answer: not empty, and not a bare link to media (an image field). */
export const isCandidateText = (value: unknown): value is string =>
  nonEmptyString(value) && !/^(?:https?:\/\/|data:|s3:\/\/|gs:\/\/)\S*$/i.test(value.trim())

/** Ids come as strings or numbers; anything else is no id. */
export function idString(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/** A time as ISO 8601 in UTC: from an ISO-like string, or Unix seconds (Prodigy's _timestamp). */
export function isoTime(value: unknown): string | null {
  const ms =
    typeof value === 'number' && Number.isFinite(value)
      ? value * 1000
      : typeof value === 'string' && value.trim() !== ''
        ? Date.parse(value)
        : Number.NaN
  return Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : null
}

/**
 * The text of the input: the chosen field if the container has it, else the first of the usual names, else
 * a reason that lists what the container does have.
 */
export function pickText(
  container: Record<string, unknown>,
  chosen: string,
  usual: readonly string[],
  where: string,
): { ok: true; field: string; text: string } | { ok: false; reason: string } {
  for (const field of [chosen, ...usual]) {
    const value = container[field]
    if (nonEmptyString(value)) return { ok: true, field, text: value }
  }
  const has = Object.keys(container)
  return {
    ok: false,
    reason:
      `${where} has no text in "${chosen}" or ${usual.map((name) => `"${name}"`).join(', ')}` +
      (has.length > 0 ? ` (it has ${has.slice(0, 8).join(', ')}): choose its text field` : ''),
  }
}

/** The usual names of the field that holds the input (prompt) in a tool's record. */
export const usualTextFields = [
  'text',
  'prompt',
  'instruction',
  'question',
  'input',
  'query',
  'content',
] as const

const acceptWords = new Set(['accept', 'accepted', 'approve', 'approved', 'good', 'yes', 'correct', 'keep'])
const rejectWords = new Set(['reject', 'rejected', 'bad', 'no', 'incorrect', 'wrong', 'discard'])

/** A label that says "keep it" or "drop it" about the one candidate on screen, or neither. */
export function verdictOf(label: string): 'accept' | 'reject' | null {
  const word = label.trim().toLowerCase()
  return acceptWords.has(word) ? 'accept' : rejectWords.has(word) ? 'reject' : null
}

/** The candidate a label names: by key (field name, option id) or by its exact text. */
export function candidateNamed(candidates: readonly ToolCandidate[], label: string): ToolCandidate | null {
  return candidates.find((c) => c.key === label) ?? candidates.find((c) => c.text === label) ?? null
}

/** Short, one-line rendering of a response value for a note. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

/**
 * A record's fields besides its text: each candidate text (and, through `listed`, each list of them) as a
 * candidate named by its field, the rest kept as metadata. Both Label Studio's `data` and Argilla's `fields`.
 */
export function otherFields(
  container: Record<string, unknown>,
  textField: string,
  listed: (value: unknown) => ToolCandidate[] | null = () => null,
): { candidates: ToolCandidate[]; meta: Record<string, unknown> } {
  const candidates: ToolCandidate[] = []
  const meta: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(container)) {
    if (key === textField) continue
    const value = container[key]
    const items = listed(value)
    if (isCandidateText(value)) candidates.push({ key, text: value, model: null })
    else if (items !== null) candidates.push(...items)
    else meta[key] = value
  }
  return { candidates, meta }
}
