// Export records for the selection tests, built directly (the review reducer has its own tests): a source with
// an origin and depth, and optionally one accepted candidate of a given model generation.
import type { ExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'

export type RecordSpec = {
  id: string
  origin?: ExportRecord['source']['origin']
  depth?: number | null
  text?: string
  status?: ExportRecord['review']['status']
  finalText?: string
  generation?: number
  model?: string
  flags?: string[]
  tags?: string[]
  reviewedAt?: string | null
}

export function makeRecord(spec: RecordSpec): SelectionInput {
  const origin = spec.origin ?? 'human'
  const depth = spec.depth !== undefined ? spec.depth : origin === 'human' ? 0 : origin === 'model' ? 1 : null
  const status = spec.status ?? 'selected'
  const isAccepted = status === 'selected' || status === 'edited'
  const candidateId = `${spec.id}-c1`
  const candidateText = spec.finalText ?? `rewrite of ${spec.id}`
  const record: ExportRecord = {
    sampleId: spec.id,
    externalId: null,
    source: { text: spec.text ?? `source text of ${spec.id}`, meta: {}, origin, depth },
    candidates: [
      {
        id: candidateId,
        text: candidateText,
        thinking: null,
        model: spec.model ?? 'qwen3:0.6b',
        generationId: spec.generation ?? 0,
        sampling: { temperature: 1, topP: null, topK: null, seed: 1, maxTokens: null, stop: [] },
        prompt: { mode: 'raw', text: 'Rewrite' },
        logprobs: null,
      },
    ],
    review: {
      status,
      chosenCandidateId: isAccepted ? candidateId : null,
      finalText: isAccepted ? candidateText : null,
      negativeIds: [],
      flags: (spec.flags ?? []).map((reason) => ({ candidateId, reason, note: null, correction: null })),
    },
  }
  return { record, tags: spec.tags ?? [], reviewedAt: spec.reviewedAt ?? '2026-03-01T00:00:00.000Z' }
}
