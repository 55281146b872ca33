// The unit the mix policy counts. A reviewed record yields at most two training items:
//   - a human original: the source text of a record whose origin is 'human'. Under "accumulate" it is
//     training data in its own right, whatever happened to its candidates (real data retained). Depth 0,
//     no model generation. Sources of origin 'model' or 'unknown' are never items: they are neither real
//     data nor something a person accepted.
//   - an accepted item: the final text of a record reviewed 'selected' or 'edited' (reasoning blocks
//     stripped). It is synthetic even when edited: a person fixed a model's text rather than writing one.
//     Its depth is the source's depth + 1 (a model step from its input), unknown when the source's is; its
//     generation is the chosen candidate's model generation.
// A record reviewed without an accepted text but with candidates judged bad (reject-all, or flags) gives a
// negative instead (negativeOf): not training content — the mix policy neither counts nor drops it, dedup
// skips it — but the bad examples that KTO's false rows and critique rows are made of.
// See docs/dataset-mix.md.
import type { ExportRecord } from '../export-record'
import { stripThinkBlocks } from '../record-texts'

/** One record with what the store knows besides it: the sample's tags and when it was last reviewed. */
export type SelectionInput = { record: ExportRecord; tags: readonly string[]; reviewedAt: string | null }

export type ItemKind = 'human-original' | 'accepted' | 'negative'

export type SelectionItem = {
  /** `${kind}:${sampleId}`: one item of each kind per sample at most. */
  id: string
  sampleId: string
  kind: ItemKind
  origin: 'human' | 'synthetic'
  depth: number | null
  generation: number | null
  model: string | null
  candidateId: string | null
  status: 'selected' | 'edited' | null
  /** Flag reasons on the chosen candidate. */
  flagReasons: string[]
  sourceOrigin: ExportRecord['source']['origin']
  tags: readonly string[]
  reviewedAt: string | null
  /** Empty in a streamed selection, which keeps the fingerprint instead and reads texts again to write them. */
  text: string
}

export const itemId = (kind: ItemKind, sampleId: string): string => `${kind}:${sampleId}`

export function itemsOf(input: SelectionInput): SelectionItem[] {
  const { record, tags, reviewedAt } = input
  const { sampleId, source, review } = record
  const common = { sampleId, sourceOrigin: source.origin, tags, reviewedAt }
  const items: SelectionItem[] = []
  if (source.origin === 'human')
    items.push({
      ...common,
      id: itemId('human-original', sampleId),
      kind: 'human-original',
      origin: 'human',
      depth: 0,
      generation: null,
      model: null,
      candidateId: null,
      status: null,
      flagReasons: [],
      text: source.text,
    })
  const { status } = review
  const text = review.finalText === null ? '' : stripThinkBlocks(review.finalText)
  if ((status === 'selected' || status === 'edited') && text.trim() !== '') {
    const chosen = record.candidates.find((c) => c.id === review.chosenCandidateId) ?? null
    items.push({
      ...common,
      id: itemId('accepted', sampleId),
      kind: 'accepted',
      origin: 'synthetic',
      depth: source.depth === null ? null : source.depth + 1,
      generation: chosen?.generationId ?? null,
      model: chosen?.model ?? null,
      candidateId: chosen?.id ?? null,
      status,
      flagReasons: review.flags.filter((f) => f.candidateId === chosen?.id).map((f) => f.reason),
      text,
    })
  }
  return items
}

/** The record's negative item, or null: see the head of this file. Its text is the source (the prompt). */
export function negativeOf(input: SelectionInput): SelectionItem | null {
  const { record, tags, reviewedAt } = input
  const { sampleId, source, review } = record
  if (review.status === 'selected' || review.status === 'edited') return null
  if (review.status !== 'rejected' && review.flags.length === 0) return null
  if (record.candidates.length === 0) return null
  return {
    sampleId,
    sourceOrigin: source.origin,
    tags,
    reviewedAt,
    id: itemId('negative', sampleId),
    kind: 'negative',
    origin: 'synthetic',
    depth: source.depth === null ? null : source.depth + 1,
    generation: null,
    model: null,
    candidateId: null,
    status: null,
    flagReasons: review.flags.map((flag) => flag.reason),
    text: source.text,
  }
}

/** Priority order, used wherever "the first" is kept: humans, then shallower, then by id. */
export function compareItems(a: SelectionItem, b: SelectionItem): number {
  if (a.origin !== b.origin) return a.origin === 'human' ? -1 : 1
  const depthA = a.depth ?? Number.POSITIVE_INFINITY
  const depthB = b.depth ?? Number.POSITIVE_INFINITY
  if (depthA !== depthB) return depthA - depthB
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
