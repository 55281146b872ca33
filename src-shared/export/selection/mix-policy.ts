// The mix policy, applied exactly. It only ever drops synthetic items; human originals are never dropped
// and never duplicated. All shares are over the final exported set (train and test together), compared in
// the same floating-point form the preview reports: h / total >= minHumanShare, n_g / total <= maxShare.
// Among synthetic items, shallower ones are kept first, then a seeded hash of the id decides, so the drop
// order is deterministic and does not follow input order.
import type { MixPolicy } from './dataset-spec'
import { hash32 } from './hash'
import type { SelectionItem } from './items'

export type MixDropReason = 'max-depth' | 'unknown-depth' | 'generation-cap' | 'min-human-share'
export type MixResult = { kept: SelectionItem[]; dropped: { itemId: string; reason: MixDropReason }[] }

export const generationKey = (item: SelectionItem): string =>
  item.generation === null ? 'unknown' : String(item.generation)

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

export function applyMixPolicy(items: readonly SelectionItem[], policy: MixPolicy, seed: number): MixResult {
  const dropped: MixResult['dropped'] = []
  const humans = items.filter((item) => item.origin === 'human')
  const synthetic: SelectionItem[] = []
  for (const item of items) {
    if (item.origin === 'human') continue
    const max = policy.maxSyntheticDepth
    if (max !== null && item.depth === null) dropped.push({ itemId: item.id, reason: 'unknown-depth' })
    else if (max !== null && item.depth !== null && item.depth > max)
      dropped.push({ itemId: item.id, reason: 'max-depth' })
    else synthetic.push(item)
  }
  const perGeneration = new Map<string, number>()
  for (const item of synthetic)
    perGeneration.set(generationKey(item), (perGeneration.get(generationKey(item)) ?? 0) + 1)

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
  // Keys computed once per item, not once per comparison (two million items sort in ~40 million of those).
  const ranked = synthetic
    .map((item) => ({ item, depth: item.depth ?? Number.POSITIVE_INFINITY, hash: hash32(item.id, seed) }))
    .sort((a, b) =>
      a.depth !== b.depth
        ? a.depth - b.depth
        : a.hash !== b.hash
          ? a.hash - b.hash
          : a.item.id < b.item.id
            ? -1
            : 1,
    )
    .map(({ item }) => item)
  const keptPerGeneration = new Map<string, number>()
  const kept = [...humans]
  for (const item of ranked) {
    const key = generationKey(item)
    const count = keptPerGeneration.get(key) ?? 0
    if (count >= cap) dropped.push({ itemId: item.id, reason: 'generation-cap' })
    else if (kept.length >= total) dropped.push({ itemId: item.id, reason: 'min-human-share' })
    else {
      kept.push(item)
      keptPerGeneration.set(key, count + 1)
    }
  }
  return { kept, dropped }
}
