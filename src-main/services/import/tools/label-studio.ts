// Label Studio's JSON export: an array of tasks, each with its `data` and the `annotations` people made
// (and the `predictions` models made). The input is the chosen (or usual) text field of `data`; the other
// text fields of `data`, the items of a list field (the Ranker's), and textarea predictions are the
// candidates. Per annotation: pairwise, choices and ranker pick a candidate, a textarea is an edit, a rating
// or anything else is a note, and a cancelled annotation is a skip.
import {
  candidateNamed,
  describeValue,
  idString,
  isoTime,
  isRecord,
  nonEmptyString,
  otherFields,
  pickText,
  usualTextFields,
  verdictOf,
  type ToolCandidate,
  type ToolDecision,
  type ToolMapping,
} from './tool-record'

type Part = Pick<ToolDecision, 'kind' | 'candidateKey' | 'editedText' | 'note'>

export function mapLabelStudioTask(task: Record<string, unknown>, textField: string): ToolMapping {
  if (!isRecord(task.data))
    return { ok: false, reason: 'the task has no "data" object: is this a Label Studio JSON export?' }
  const data = task.data
  const picked = pickText(data, textField, usualTextFields, 'the task\'s "data"')
  if (!picked.ok) return picked
  const { candidates, meta } = otherFields(data, picked.field, listItems)
  candidates.push(...predictedTexts(task.predictions))
  if (task.project !== undefined) meta.project = task.project
  if (task.meta !== undefined) meta.meta = task.meta
  if (task.annotations !== undefined && !Array.isArray(task.annotations))
    return { ok: false, reason: `"annotations" is ${describeValue(task.annotations)}, not a list` }

  const decisions: ToolDecision[] = []
  for (const [index, annotation] of ((task.annotations as unknown[] | undefined) ?? []).entries()) {
    if (!isRecord(annotation)) return { ok: false, reason: `annotation ${index + 1} is not an object` }
    const parts = annotationParts(annotation, candidates)
    if (typeof parts === 'string') return { ok: false, reason: `annotation ${index + 1}: ${parts}` }
    const recordId = idString(annotation.id)
    const seconds = typeof annotation.lead_time === 'number' ? annotation.lead_time : 0
    for (const [partIndex, part] of parts.entries())
      decisions.push({
        ...part,
        key: `${recordId ?? `#${index}`}|${partIndex}`,
        annotator: annotatorOf(annotation.completed_by),
        at: isoTime(annotation.updated_at) ?? isoTime(annotation.created_at),
        timeSpentMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0,
        recordId,
      })
  }
  const taskId = idString(task.id)
  return {
    ok: true,
    record: {
      text: picked.text,
      externalId: taskId === null ? null : `label-studio:${taskId}`,
      meta,
      candidates,
      decisions,
    },
  }
}

function annotationParts(annotation: Record<string, unknown>, candidates: ToolCandidate[]): Part[] | string {
  const part = (
    kind: Part['kind'],
    candidateKey: string | null = null,
    note: string | null = null,
  ): Part => ({
    kind,
    candidateKey,
    editedText: null,
    note,
  })
  if (annotation.was_cancelled === true) return [part('skip')]
  if (annotation.result !== undefined && !Array.isArray(annotation.result))
    return `"result" is ${describeValue(annotation.result)}, not a list`
  const results = (annotation.result as unknown[] | undefined) ?? []
  if (results.length === 0) return [part('skip')]
  let chosen: string | null = null
  const picks: Part[] = []
  const edits: Part[] = []
  const notes: Part[] = []
  for (const result of results) {
    if (!isRecord(result) || !isRecord(result.value)) return 'a result without a "value" object'
    const value = result.value
    const name = typeof result.from_name === 'string' ? result.from_name : String(result.type)
    const noted = (text: string): void => void notes.push(part('note', null, `Label Studio ${name}: ${text}`))
    if (result.type === 'pairwise') {
      const picked = pairwisePick(value.selected, result.to_name, candidates)
      if (picked === null) noted(`selected ${describeValue(value.selected)}`)
      else picks.push(part('select', (chosen = picked)))
    } else if (result.type === 'choices' && Array.isArray(value.choices)) {
      const labels = value.choices.map(String)
      const named = labels.length === 1 ? candidateNamed(candidates, labels[0]!) : null
      const verdict = labels.length === 1 && candidates.length === 1 ? verdictOf(labels[0]!) : null
      if (named !== null) picks.push(part('select', (chosen = named.key)))
      else if (verdict === 'accept') picks.push(part('select', (chosen = candidates[0]!.key)))
      else if (verdict === 'reject') picks.push(part('reject-all'))
      else noted(labels.join(', '))
    } else if (result.type === 'ranker' && isRecord(value.ranker)) {
      const first: unknown = Object.values(value.ranker).find((ranked) => Array.isArray(ranked))?.[0]
      const firstId = idString(first)
      const named = firstId === null ? null : rankedCandidate(firstId, candidates)
      if (named === null) noted(`ranked ${describeValue(value.ranker)}`)
      else picks.push(part('select', (chosen = named.key)))
    } else if (result.type === 'textarea' && Array.isArray(value.text)) {
      const text = value.text.map(String).join('\n')
      const target = chosen ?? (candidates.length === 1 ? candidates[0]!.key : null)
      if (target === null) noted(`wrote ${describeValue(text)} (no single candidate it edits)`)
      else if (nonEmptyString(text)) edits.push({ ...part('edit', target), editedText: text })
    } else if (result.type === 'rating' && typeof value.rating === 'number') noted(`rating ${value.rating}`)
    else noted(`${String(result.type)} ${describeValue(value)}`)
  }
  // An edit is a select of its candidate with the person's text: the select before it would say less.
  const kept = picks.filter((pick) => !edits.some((edit) => edit.candidateKey === pick.candidateKey))
  return [...kept, ...edits, ...notes]
}

/** Pairwise says left or right; its to_name lists the two objects compared, else the first two candidates. */
function pairwisePick(selected: unknown, toName: unknown, candidates: ToolCandidate[]): string | null {
  const side = selected === 'left' ? 0 : selected === 'right' ? 1 : null
  if (side === null) return null
  const names = typeof toName === 'string' ? toName.split(',').map((name) => name.trim()) : []
  const byName = names.length === 2 ? candidates.find((c) => c.key === names[side]) : undefined
  return byName?.key ?? candidates[side]?.key ?? null
}

function rankedCandidate(id: string, candidates: ToolCandidate[]): ToolCandidate | null {
  return candidates.find((c) => c.key === `item:${id}`) ?? candidateNamed(candidates, id)
}

/** A data field holding a list of {id, body|text|title} items: what a Ranker ranks. */
function listItems(value: unknown): ToolCandidate[] | null {
  if (!Array.isArray(value) || value.length === 0) return null
  const items: ToolCandidate[] = []
  for (const item of value) {
    if (!isRecord(item)) return null
    const id = idString(item.id)
    const text = [item.body, item.text, item.title].find(nonEmptyString)
    if (id === null || text === undefined) return null
    items.push({ key: `item:${id}`, text, model: null })
  }
  return items
}

/** Model predictions that wrote text (a textarea result) are candidates from that model version. */
function predictedTexts(predictions: unknown): ToolCandidate[] {
  if (!Array.isArray(predictions)) return []
  const found: ToolCandidate[] = []
  for (const [index, prediction] of predictions.entries()) {
    if (!isRecord(prediction) || !Array.isArray(prediction.result)) continue
    const model = nonEmptyString(prediction.model_version) ? prediction.model_version : null
    for (const [resultIndex, result] of prediction.result.entries()) {
      if (!isRecord(result) || result.type !== 'textarea' || !isRecord(result.value)) continue
      const text = Array.isArray(result.value.text) ? result.value.text.map(String).join('\n') : ''
      const key = `prediction:${idString(prediction.id) ?? index}:${resultIndex}`
      if (text.trim() !== '') found.push({ key, text, model })
    }
  }
  return found
}

/** completed_by is a user id, or in some exports the user object. */
function annotatorOf(completedBy: unknown): string | null {
  if (isRecord(completedBy)) return idString(completedBy.email) ?? idString(completedBy.id)
  return idString(completedBy)
}
