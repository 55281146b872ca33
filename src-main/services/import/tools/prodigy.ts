// Prodigy's db-out JSONL: one annotated task per line, `answer` accept | reject | ignore. A choice task's
// `options` become candidates and `accept` names the chosen ones; a task without options judges its text
// itself, which becomes the one candidate — unless it carries a `label` or `spans`, whose verdict is about
// the label, not the text, and is kept as a note. `user_input` (the text_input interface) is an edit.
import {
  describeValue,
  idString,
  isoTime,
  isRecord,
  nonEmptyString,
  pickText,
  usualTextFields,
  type ToolCandidate,
  type ToolDecision,
  type ToolMapping,
} from './tool-record'

const answers = new Set(['accept', 'reject', 'ignore'])
/** Per-annotation keys: they differ between annotators' copies of one input, so they stay out of its meta. */
const annotationKeys = new Set(['options', 'accept', 'answer', 'label', 'spans', 'tokens', 'user_input'])

export function mapProdigyTask(task: Record<string, unknown>, textField: string): ToolMapping {
  // The compare recipe's A/B tasks say which side was preferred through a display mapping whose meaning
  // depends on the recipe version: refused plainly rather than read one way by guesswork.
  if (isRecord(task.input) && isRecord(task.accept) && isRecord(task.reject))
    return {
      ok: false,
      reason:
        'a Prodigy compare task (input with accept/reject outputs) cannot be imported yet: export the comparison as a choice task with options',
    }
  const picked = pickText(task, textField, usualTextFields, 'the task')
  if (!picked.ok) return picked
  const options = readOptions(task.options)
  if (typeof options === 'string') return { ok: false, reason: options }
  const inputHash = idString(task._input_hash)
  const meta: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(task))
    if (key !== picked.field && !key.startsWith('_') && !annotationKeys.has(key)) meta[key] = task[key]
  if (inputHash !== null) meta._input_hash = task._input_hash

  const hasLabel = nonEmptyString(task.label) || (Array.isArray(task.spans) && task.spans.length > 0)
  const candidates: ToolCandidate[] =
    options.length > 0 || hasLabel ? options : [{ key: 'text', text: picked.text, model: modelOf(task) }]
  const record = {
    text: picked.text,
    externalId: inputHash === null ? null : `prodigy:${inputHash}`,
    meta,
    candidates,
  }
  if (task.answer === undefined) return { ok: true, record: { ...record, decisions: [] } }
  if (typeof task.answer !== 'string' || !answers.has(task.answer))
    return { ok: false, reason: `"answer" is ${describeValue(task.answer)}, not accept, reject or ignore` }

  const decided = decide(task, task.answer, options.length > 0, hasLabel, candidates)
  if (typeof decided === 'string') return { ok: false, reason: decided }
  const base = {
    annotator: idString(task._annotator_id) ?? idString(task._session_id),
    at: isoTime(task._timestamp),
    timeSpentMs: 0,
    recordId: idString(task._task_hash),
  }
  const decisions: ToolDecision[] = decided.map((part, index) => ({
    ...base,
    key: `${base.recordId ?? ''}|${base.annotator ?? ''}|${base.at ?? ''}|${task.answer as string}|${index}`,
    ...part,
  }))
  return { ok: true, record: { ...record, decisions } }
}

type DecisionPart = Pick<ToolDecision, 'kind' | 'candidateKey' | 'editedText' | 'note'>

function decide(
  task: Record<string, unknown>,
  answer: string,
  hasOptions: boolean,
  hasLabel: boolean,
  candidates: ToolCandidate[],
): DecisionPart[] | string {
  const part = (kind: DecisionPart['kind'], candidateKey: string | null = null): DecisionPart => ({
    kind,
    candidateKey,
    editedText: null,
    note: null,
  })
  const note = (text: string): DecisionPart => ({ ...part('note'), note: text })
  if (answer === 'ignore') return [part('skip')]
  if (!hasOptions && hasLabel) {
    const what = nonEmptyString(task.label) ? `label "${task.label}"` : 'spans'
    return [
      note(`Prodigy: ${answer} ${what}${Array.isArray(task.spans) ? ` ${describeValue(task.spans)}` : ''}`),
    ]
  }
  if (answer === 'reject') return [part('reject-all')]
  let chosen: string | null = null
  if (hasOptions) {
    if (task.accept !== undefined && !Array.isArray(task.accept))
      return `"accept" is ${describeValue(task.accept)}, not a list of option ids`
    const accepted = ((task.accept as unknown[] | undefined) ?? []).map(idString)
    const keys = accepted.map((id) => (id === null ? null : `option:${id}`))
    const unknown = keys.findIndex((key) => key === null || !candidates.some((c) => c.key === key))
    if (unknown >= 0)
      return `"accept" names option ${describeValue(accepted[unknown])}, which is not in "options"`
    // Winnow keeps one chosen candidate per decision: several accepted options are recorded as a note.
    if (keys.length > 1) return [note(`Prodigy: accepted options ${accepted.join(', ')}`)]
    if (keys.length === 0) return [note('Prodigy: accepted without choosing an option')]
    chosen = keys[0]!
  } else chosen = 'text'
  const edited = task.user_input
  if (nonEmptyString(edited) && edited !== candidates.find((c) => c.key === chosen)?.text)
    return [{ ...part('edit', chosen), editedText: edited }]
  return [part('select', chosen)]
}

function readOptions(value: unknown): ToolCandidate[] | string {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) return `"options" is ${describeValue(value)}, not a list`
  const candidates: ToolCandidate[] = []
  for (const [index, option] of value.entries()) {
    const id = isRecord(option) ? idString(option.id) : null
    if (!isRecord(option) || id === null || typeof option.text !== 'string')
      return `option ${index + 1} needs an "id" and a "text"`
    if (candidates.some((c) => c.key === `option:${id}`)) return `option id ${id} appears twice`
    candidates.push({ key: `option:${id}`, text: option.text, model: modelOf(option) })
  }
  return candidates
}

/** Prodigy has no model field; recipes that generate text commonly keep it in meta.model. */
function modelOf(holder: Record<string, unknown>): string | null {
  const meta = holder.meta
  return isRecord(meta) && nonEmptyString(meta.model) ? meta.model : null
}
