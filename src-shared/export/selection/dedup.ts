// Dedup within the export: exact on normalised text, then near-duplicate by MinHash. Items are visited in
// priority order (humans, shallower, then id) and the first of each cluster is kept, so the result does not
// depend on input order and a synthetic copy never displaces a human original. With `protectHumans`
// ("accumulate") human originals are never dropped as near-duplicates; only an exact copy of another goes.
// Works from each item's fingerprint (fingerprint.ts), computed here when the item does not carry one.
import type { DedupSpec } from './dataset-spec'
import { fingerprintOf, type ItemFingerprint } from './fingerprint'
import type { SelectionItem } from './items'
import { compareItems } from './items'
import { bandsFor } from './minhash'
import { findNearDuplicates } from './near-dup'

export { normaliseText } from './fingerprint'

export type Duplicate = { itemId: string; keptId: string; kind: 'exact' | 'near'; similarity: number }
export type DedupResult = { kept: SelectionItem[]; duplicates: Duplicate[] }

export function dedupItems(
  items: readonly SelectionItem[],
  spec: DedupSpec,
  seed: number,
  protectHumans: boolean,
): DedupResult {
  const near = spec.nearDuplicate
  const fingerprint = (item: SelectionItem): ItemFingerprint =>
    item.fingerprint !== undefined && (near === null || item.fingerprint.signature !== null)
      ? item.fingerprint
      : fingerprintOf(item.text, near, seed)
  const ordered = [...items].sort(compareItems)
  const duplicates: Duplicate[] = []
  let kept: SelectionItem[] = ordered
  if (spec.exact) {
    const firstByKey = new Map<number, string>()
    kept = []
    for (const item of ordered) {
      const key = fingerprint(item).exact
      const first = firstByKey.get(key)
      if (first === undefined) {
        firstByKey.set(key, item.id)
        kept.push(item)
      } else duplicates.push({ itemId: item.id, keptId: first, kind: 'exact', similarity: 1 })
    }
  }
  if (near === null) return { kept, duplicates }

  const { bands, rows } = bandsFor(near.numPerm, near.threshold)
  const signatures = kept.map((item) => fingerprint(item).signature!)
  const matches = findNearDuplicates(
    signatures,
    bands,
    rows,
    near.threshold,
    (rank) => protectHumans && kept[rank]!.origin === 'human',
  )
  const dropped = new Set<number>()
  for (const { rank, keptRank, similarity } of matches) {
    dropped.add(rank)
    duplicates.push({ itemId: kept[rank]!.id, keptId: kept[keptRank]!.id, kind: 'near', similarity })
  }
  // An exact duplicate names the first of its text, which may itself have gone as a near-duplicate since:
  // point it at the item that stayed.
  const nearOf = new Map(duplicates.filter((d) => d.kind === 'near').map((d) => [d.itemId, d.keptId]))
  const resolved = duplicates.map((d) => ({ ...d, keptId: nearOf.get(d.keptId) ?? d.keptId }))
  return { kept: kept.filter((_, rank) => !dropped.has(rank)), duplicates: resolved }
}
