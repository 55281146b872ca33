// Dedup within the export: exact on normalised text, then near-duplicate by MinHash. Items are visited in
// priority order (humans, shallower, then id) and the first of each cluster is kept, so the result does not
// depend on input order and a synthetic copy never displaces a human original. With `protectHumans`
// ("accumulate") human originals are never dropped as near-duplicates; only an exact copy of another goes.
import type { DedupSpec } from './dataset-spec'
import type { SelectionItem } from './items'
import { compareItems } from './items'
import { bandKeys, bandsFor, estimatedJaccard, shingleHashes, signature } from './minhash'

/** NFC, whitespace runs collapsed to one space, trimmed. */
export const normaliseText = (text: string): string => text.normalize('NFC').replace(/\s+/gu, ' ').trim()

export type Duplicate = { itemId: string; keptId: string; kind: 'exact' | 'near'; similarity: number }
export type DedupResult = { kept: SelectionItem[]; duplicates: Duplicate[] }

export function dedupItems(
  items: readonly SelectionItem[],
  spec: DedupSpec,
  seed: number,
  protectHumans: boolean,
): DedupResult {
  const ordered = [...items].sort(compareItems)
  const duplicates: Duplicate[] = []
  let kept: SelectionItem[] = ordered
  if (spec.exact) {
    const firstByText = new Map<string, string>()
    kept = []
    for (const item of ordered) {
      const key = normaliseText(item.text)
      const first = firstByText.get(key)
      if (first === undefined) {
        firstByText.set(key, item.id)
        kept.push(item)
      } else duplicates.push({ itemId: item.id, keptId: first, kind: 'exact', similarity: 1 })
    }
  }
  const near = spec.nearDuplicate
  if (near === null) return { kept, duplicates }

  const { bands, rows } = bandsFor(near.numPerm, near.threshold)
  const buckets = new Map<string, number[]>()
  const survivors: { item: SelectionItem; sig: Uint32Array }[] = []
  for (const item of kept) {
    const sig = signature(shingleHashes(normaliseText(item.text), near.shingle, seed), near.numPerm, seed)
    const keys = bandKeys(sig, bands, rows)
    const isProtected = protectHumans && item.origin === 'human'
    let match: { keptId: string; similarity: number } | null = null
    if (!isProtected) {
      const seen = new Set<number>()
      for (const key of keys) for (const index of buckets.get(key) ?? []) seen.add(index)
      // Lowest index first: the match is the earliest kept item, whatever the bucket order.
      for (const index of [...seen].sort((a, b) => a - b)) {
        const other = survivors[index]
        const similarity = other === undefined ? 0 : estimatedJaccard(sig, other.sig)
        if (other !== undefined && similarity >= near.threshold) {
          match = { keptId: other.item.id, similarity }
          break
        }
      }
    }
    if (match !== null) {
      duplicates.push({ itemId: item.id, kind: 'near', ...match })
      continue
    }
    const index = survivors.push({ item, sig }) - 1
    for (const key of keys) {
      const bucket = buckets.get(key)
      if (bucket === undefined) buckets.set(key, [index])
      else bucket.push(index)
    }
  }
  // An exact duplicate names the first of its text, which may itself have gone as a near-duplicate since:
  // point it at the item that stayed.
  const nearOf = new Map(duplicates.filter((d) => d.kind === 'near').map((d) => [d.itemId, d.keptId]))
  const resolved = duplicates.map((d) => ({ ...d, keptId: nearOf.get(d.keptId) ?? d.keptId }))
  return { kept: survivors.map((s) => s.item), duplicates: resolved }
}
