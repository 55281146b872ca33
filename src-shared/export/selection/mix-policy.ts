// The mix policy, applied exactly. It only ever drops synthetic items; human originals are never dropped
// and never duplicated. All shares are over the final exported set (train and test together), compared in
// the same floating-point form the preview reports: h / total >= minHumanShare, n_g / total <= maxShare.
// Among synthetic items, shallower ones are kept first, then a seeded hash of the id decides, so the drop
// order is deterministic and does not follow input order.
import type { MixPolicy } from './dataset-spec'
import { hash32 } from './hash'
import { tableOf, type ItemTable } from './item-table'
import type { SelectionItem } from './items'

export type MixDropReason = 'max-depth' | 'unknown-depth' | 'generation-cap' | 'min-human-share'
export type MixResult = { kept: SelectionItem[]; dropped: { itemId: string; reason: MixDropReason }[] }

export const hasMinShare = (humans: number, total: number, min: number | null): boolean =>
  min === null || total === 0 || humans / total >= min

/** The most items one generation may have in a set of `total`. */
export function generationCap(total: number, maxShare: number | null): number {
  if (maxShare === null) return Number.POSITIVE_INFINITY
  let k = Math.floor(maxShare * total)
  while (k + 1 <= total && (k + 1) / total <= maxShare) k++
  while (k > 0 && k / total > maxShare) k--
  return k
}

/** The mix over rows of an item table: the rows kept (humans first, in the order given) and those dropped. */
export function mixRows(
  table: ItemTable,
  rows: readonly number[],
  policy: MixPolicy,
  seed: number,
): { kept: number[]; dropped: { row: number; reason: MixDropReason }[] } {
  const dropped: { row: number; reason: MixDropReason }[] = []
  const humans = rows.filter((row) => table.isHuman(row))
  const synthetic: number[] = []
  for (const row of rows) {
    if (table.isHuman(row)) continue
    const max = policy.maxSyntheticDepth
    const depth = table.depth(row)
    if (max !== null && depth === null) dropped.push({ row, reason: 'unknown-depth' })
    else if (max !== null && depth !== null && depth > max) dropped.push({ row, reason: 'max-depth' })
    else synthetic.push(row)
  }
  const keyOf = (row: number): string => {
    const generation = table.generation(row)
    return generation === null ? 'unknown' : String(generation)
  }
  const perGeneration = new Map<string, number>()
  for (const row of synthetic) perGeneration.set(keyOf(row), (perGeneration.get(keyOf(row)) ?? 0) + 1)

  // The largest total the constraints allow. Feasibility in the total is not monotone in general, so scan
  // down from "keep everything"; total = humans (no synthetic) always satisfies both constraints.
  const h = humans.length
  let total = h
  for (let t = h + synthetic.length; t > h; t--) {
    if (!hasMinShare(h, t, policy.minHumanShare)) continue
    const cap = generationCap(t, policy.maxSharePerGeneration)
    let room = 0
    for (const count of perGeneration.values()) room += Math.min(count, cap)
    if (room >= t - h) {
      total = t
      break
    }
  }

  const cap = generationCap(total, policy.maxSharePerGeneration)
  // Keys computed once per row, not once per comparison (two million rows sort in ~40 million of those).
  const ranked = synthetic
    .map((row) => ({ row, depth: table.depthRank(row), hash: hash32(table.itemId(row), seed) }))
    .sort((a, b) =>
      a.depth !== b.depth
        ? a.depth - b.depth
        : a.hash !== b.hash
          ? a.hash - b.hash
          : table.compareIds(a.row, b.row),
    )
  const keptPerGeneration = new Map<string, number>()
  const kept = [...humans]
  for (const { row } of ranked) {
    const key = keyOf(row)
    const count = keptPerGeneration.get(key) ?? 0
    if (count >= cap) dropped.push({ row, reason: 'generation-cap' })
    else if (kept.length >= total) dropped.push({ row, reason: 'min-human-share' })
    else {
      kept.push(row)
      keptPerGeneration.set(key, count + 1)
    }
  }
  return { kept, dropped }
}

export function applyMixPolicy(items: readonly SelectionItem[], policy: MixPolicy, seed: number): MixResult {
  const table = tableOf(items, () => null, 0)
  const { kept, dropped } = mixRows(
    table,
    items.map((_, row) => row),
    policy,
    seed,
  )
  return {
    kept: kept.map((row) => items[row]!),
    dropped: dropped.map(({ row, reason }) => ({ itemId: items[row]!.id, reason })),
  }
}
