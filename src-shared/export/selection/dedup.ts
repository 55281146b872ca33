// Dedup within the export: exact on normalised text, then near-duplicate by MinHash. Items are visited in
// priority order (humans, shallower, then id) and the first of each cluster is kept, so the result does not
// depend on input order and a synthetic copy never displaces a human original. With `protectHumans`
// ("accumulate") human originals are never dropped as near-duplicates; only an exact copy of another goes.
// Works on rows of an ItemTable (fingerprints, no texts); dedupItems is the same over an array of items.
import type { DedupSpec } from './dataset-spec'
import { fingerprintOf } from './fingerprint'
import { tableOf, type ItemTable } from './item-table'
import type { SelectionItem } from './items'
import { bandsFor } from './minhash'
import { findNearDuplicates } from './near-dup'

export { normaliseText } from './fingerprint'

export type Duplicate = { itemId: string; keptId: string; kind: 'exact' | 'near'; similarity: number }
export type DedupResult = { kept: SelectionItem[]; duplicates: Duplicate[] }

export type RowDuplicate = { row: number; keptRow: number; kind: 'exact' | 'near'; similarity: number }

/** The rows that stay, in priority order, and each dropped row with the row it duplicates. */
export function dedupRows(
  table: ItemTable,
  rows: readonly number[],
  spec: DedupSpec,
  protectHumans: boolean,
): { kept: number[]; duplicates: RowDuplicate[] } {
  const ordered = [...rows].sort((a, b) => table.comparePriority(a, b))
  const duplicates: RowDuplicate[] = []
  let kept = ordered
  if (spec.exact) {
    const firstByKey = new Map<number, number>()
    kept = []
    for (const row of ordered) {
      const key = table.exactKey(row)
      const first = firstByKey.get(key)
      if (first === undefined) {
        firstByKey.set(key, row)
        kept.push(row)
      } else duplicates.push({ row, keptRow: first, kind: 'exact', similarity: 1 })
    }
  }
  const near = spec.nearDuplicate
  if (near === null) return { kept, duplicates }

  const { bands, rows: bandRows } = bandsFor(near.numPerm, near.threshold)
  const matches = findNearDuplicates(
    kept.length,
    (rank) => table.signature(kept[rank]!),
    bands,
    bandRows,
    near.threshold,
    (rank) => protectHumans && table.isHuman(kept[rank]!),
  )
  const dropped = new Set<number>()
  for (const { rank, keptRank, similarity } of matches) {
    dropped.add(rank)
    duplicates.push({ row: kept[rank]!, keptRow: kept[keptRank]!, kind: 'near', similarity })
  }
  // An exact duplicate names the first of its text, which may itself have gone as a near-duplicate since:
  // point it at the row that stayed.
  const nearOf = new Map(duplicates.filter((d) => d.kind === 'near').map((d) => [d.row, d.keptRow]))
  const resolved = duplicates.map((d) => ({ ...d, keptRow: nearOf.get(d.keptRow) ?? d.keptRow }))
  return { kept: kept.filter((_, rank) => !dropped.has(rank)), duplicates: resolved }
}

export function dedupItems(
  items: readonly SelectionItem[],
  spec: DedupSpec,
  seed: number,
  protectHumans: boolean,
): DedupResult {
  const near = spec.nearDuplicate
  const table = tableOf(items, (item) => fingerprintOf(item.text, near, seed), near?.numPerm ?? 0)
  const { kept, duplicates } = dedupRows(
    table,
    items.map((_, row) => row),
    spec,
    protectHumans,
  )
  return {
    kept: kept.map((row) => items[row]!),
    duplicates: duplicates.map(({ row, keptRow, kind, similarity }) => ({
      itemId: items[row]!.id,
      keptId: items[keptRow]!.id,
      kind,
      similarity,
    })),
  }
}
