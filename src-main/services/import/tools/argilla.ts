// Argilla / Hugging Face records: the chosen (or usual) text field is the input and the record's other text
// fields (response, response-1, …) are the candidates. Each annotator's responses make their decisions:
// discarded is a skip, a draft is a note (never submitted, so never a choice), and a submitted response picks
// the candidate a label or the top of a ranking names, or accepts or rejects the one candidate; a text answer
// to a correction-like question is an edit; ratings and anything else are notes. Suggestions stay in meta.
import { readArgillaRecord, type ArgillaResponse } from './argilla-shapes'
import {
  candidateNamed,
  describeValue,
  isoTime,
  isRecord,
  otherFields,
  pickText,
  usualTextFields,
  verdictOf,
  type ToolCandidate,
  type ToolDecision,
  type ToolMapping,
} from './tool-record'

type Part = Pick<ToolDecision, 'kind' | 'candidateKey' | 'editedText' | 'note'>

/** Question names whose text answer is the corrected output rather than a comment about it. */
const editQuestion = /correct|edit|rewrit|revis|fix|improv|^(response|answer|completion|output)$/i

export function mapArgillaRecord(row: Record<string, unknown>, textField: string): ToolMapping {
  const record = readArgillaRecord(row)
  if (typeof record === 'string') return { ok: false, reason: record }
  const picked = pickText(record.fields, textField, usualTextFields, 'the record\'s "fields"')
  if (!picked.ok) return picked
  const { candidates, meta } = otherFields(record.fields, picked.field)
  meta.metadata = record.metadata
  if (Object.keys(record.suggestions).length > 0) meta.suggestions = record.suggestions

  const byUser = new Map<string, ArgillaResponse[]>()
  for (const response of record.responses) {
    const user = response.user ?? ''
    byUser.set(user, [...(byUser.get(user) ?? []), response])
  }
  const decisions: ToolDecision[] = []
  for (const [user, responses] of byUser) {
    const parts = userParts(responses, candidates)
    const at = isoTime(responses.find((r) => isoTime(r.at) !== null)?.at) ?? isoTime(record.updatedAt)
    for (const [index, part] of parts.entries())
      decisions.push({
        ...part,
        key: `${user}|${index}`,
        annotator: user === '' ? null : user,
        at,
        timeSpentMs: 0,
        recordId: record.id,
      })
  }
  return {
    ok: true,
    record: {
      text: picked.text,
      externalId: record.id === null ? null : `argilla:${record.id}`,
      meta,
      candidates,
      decisions,
    },
  }
}

function userParts(responses: ArgillaResponse[], candidates: ToolCandidate[]): Part[] {
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
  const answers = responses
    .filter((r) => r.question !== '')
    .map((r) => `${r.question} = ${describeValue(r.value)}`)
    .join('; ')
  if (responses.some((r) => r.status === 'discarded')) return [part('skip')]
  if (responses.some((r) => r.status !== 'submitted'))
    return [part('note', null, `Argilla ${responses[0]!.status} (not submitted): ${answers || 'no answers'}`)]

  let chosen: string | null = null
  const picks: Part[] = []
  const texts: ArgillaResponse[] = []
  const notes: Part[] = []
  const noted = (r: ArgillaResponse, what: string): void =>
    void notes.push(part('note', null, `Argilla ${r.question}: ${what}`))
  for (const response of responses) {
    if (response.question === '') continue
    const { value } = response
    const ranked = rankingOrder(value)
    if (typeof value === 'string') {
      const named = candidateNamed(candidates, value)
      const verdict = candidates.length === 1 ? verdictOf(value) : null
      if (named !== null) picks.push(part('select', (chosen = named.key)))
      else if (verdict === 'accept') picks.push(part('select', (chosen = candidates[0]!.key)))
      else if (verdict === 'reject') picks.push(part('reject-all'))
      else if (editQuestion.test(response.question) && value.trim() !== '') texts.push(response)
      else noted(response, describeValue(value))
    } else if (ranked !== null && ranked.every((name) => candidateNamed(candidates, name) !== null)) {
      picks.push(part('select', (chosen = candidateNamed(candidates, ranked[0]!)!.key)))
    } else if (typeof value === 'number') noted(response, `rating ${value}`)
    else noted(response, describeValue(value))
  }
  const edits: Part[] = []
  for (const response of texts) {
    const target = chosen ?? (candidates.length === 1 ? candidates[0]!.key : null)
    const text = response.value as string
    if (target === null) noted(response, `${describeValue(text)} (no single candidate it edits)`)
    else edits.push({ ...part('edit', target), editedText: text })
  }
  const kept = picks.filter((pick) => !edits.some((edit) => edit.candidateKey === pick.candidateKey))
  const all = [...kept, ...edits, ...notes]
  return all.length > 0 ? all : [part('skip')]
}

/** A ranking: v2 lists the values best first; v1 lists {value, rank}. Null for anything else. */
function rankingOrder(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0) return null
  if (value.every((item) => typeof item === 'string')) return value
  if (!value.every((item) => isRecord(item) && typeof item.value === 'string')) return null
  const items = value as { value: string; rank?: unknown }[]
  const rankOf = (item: { rank?: unknown }): number => (typeof item.rank === 'number' ? item.rank : Infinity)
  return [...items].sort((a, b) => rankOf(a) - rankOf(b)).map((item) => item.value)
}
