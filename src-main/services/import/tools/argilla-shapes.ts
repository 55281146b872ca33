// Argilla records come in three shapes: v2's record dict (`fields`, `responses` per question, `suggestions`
// per question), v1's FeedbackDataset record (`responses` per user with `values`, `suggestions` as a list),
// and the flat rows of a Hugging Face dataset exported from v2 (`question.responses`, `….users`, `….status`).
// This reads any of them into one shape so the mapper has one thing to understand.
import { idString, isRecord } from './tool-record'

export interface ArgillaResponse {
  question: string
  value: unknown
  user: string | null
  status: string
  at: unknown
}

export interface ArgillaRecord {
  id: string | null
  fields: Record<string, unknown>
  metadata: unknown
  suggestions: Record<string, unknown>
  responses: ArgillaResponse[]
  updatedAt: unknown
}

const flatRecordKeys = new Set([
  'id',
  '_server_id',
  'status',
  'inserted_at',
  'updated_at',
  'metadata',
  'vectors',
])

export function readArgillaRecord(row: Record<string, unknown>): ArgillaRecord | string {
  const id = idString(row.id) ?? idString(row.external_id) ?? idString(row._server_id)
  if (isRecord(row.fields)) {
    const responses = Array.isArray(row.responses) ? v1Responses(row.responses) : v2Responses(row.responses)
    if (typeof responses === 'string') return responses
    return {
      id,
      fields: row.fields,
      metadata: row.metadata ?? null,
      suggestions: suggestionsOf(row.suggestions),
      responses,
      updatedAt: row.updated_at,
    }
  }
  const questions = Object.keys(row)
    .filter((key) => key.endsWith('.responses'))
    .map((key) => key.slice(0, -'.responses'.length))
  if (questions.length === 0 && !Object.keys(row).some((key) => key.includes('.suggestion')))
    return 'the record has no "fields" object and no "<question>.responses" columns: is this an Argilla export?'
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const suggestions: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(row)) {
    if (key.includes('.suggestion')) suggestions[key] = row[key]
    else if (!key.includes('.') && !flatRecordKeys.has(key)) fields[key] = row[key]
  }
  const responses: ArgillaResponse[] = []
  for (const question of questions) {
    const values = row[`${question}.responses`]
    const users = row[`${question}.responses.users`]
    const statuses = row[`${question}.responses.status`]
    if (values === null || values === undefined) continue
    if (!Array.isArray(values)) return `"${question}.responses" is not a list`
    for (const [index, value] of values.entries())
      responses.push({
        question,
        value,
        user: Array.isArray(users) ? idString(users[index]) : null,
        status:
          Array.isArray(statuses) && typeof statuses[index] === 'string' ? statuses[index] : 'submitted',
        at: null,
      })
  }
  return { id, fields, metadata: row.metadata ?? null, suggestions, responses, updatedAt: row.updated_at }
}

/** v2: {question: [{value, user_id, status}]}. */
function v2Responses(value: unknown): ArgillaResponse[] | string {
  if (value === undefined || value === null) return []
  if (!isRecord(value)) return '"responses" is neither a list (v1) nor an object by question (v2)'
  const responses: ArgillaResponse[] = []
  for (const question of Object.keys(value)) {
    const list = value[question]
    if (!Array.isArray(list)) return `"responses.${question}" is not a list`
    for (const response of list) {
      if (!isRecord(response)) return `a response to "${question}" is not an object`
      responses.push({
        question,
        value: response.value,
        user: idString(response.user_id),
        status: typeof response.status === 'string' ? response.status : 'submitted',
        at: response.updated_at ?? response.inserted_at,
      })
    }
  }
  return responses
}

/** v1: [{user_id, values: {question: {value}}, status}]. */
function v1Responses(list: unknown[]): ArgillaResponse[] | string {
  const responses: ArgillaResponse[] = []
  for (const response of list) {
    if (!isRecord(response)) return 'a response is not an object'
    const values = isRecord(response.values) ? response.values : {}
    const status = typeof response.status === 'string' ? response.status : 'submitted'
    const base = { user: idString(response.user_id), status, at: response.updated_at ?? response.inserted_at }
    const questions = Object.keys(values)
    // A discarded response may have no values at all; it still says what the person did.
    if (questions.length === 0) responses.push({ ...base, question: '', value: null })
    for (const question of questions) {
      const answer = values[question]
      responses.push({ ...base, question, value: isRecord(answer) ? answer.value : answer })
    }
  }
  return responses
}

function suggestionsOf(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value
  const byQuestion: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  if (Array.isArray(value))
    for (const suggestion of value)
      if (isRecord(suggestion) && typeof suggestion.question_name === 'string')
        byQuestion[suggestion.question_name] = suggestion
  return byQuestion
}
