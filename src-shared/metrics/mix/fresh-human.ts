// Fresh human share: items carrying new human input — human-written text beyond the original data, or model
// text a reviewer rewrote heavily. It is what keeps injecting the tails that self-training loses.
import type { TrainingItem } from './training-item'

/**
 * Share of items that are fresh human input: human-origin items not among the originals, or model (or
 * unknown-origin) items whose edit distance exceeds `heavyEditAbove` (0.3 by default). Null when empty.
 */
export function freshHumanShare(
  items: readonly TrainingItem[],
  originalHumanIds: readonly string[],
  heavyEditAbove = 0.3,
): number | null {
  if (items.length === 0) return null
  const originals = new Set(originalHumanIds)
  const fresh = items.filter((item) =>
    item.origin === 'human'
      ? !originals.has(item.id)
      : item.editDistance !== null && item.editDistance > heavyEditAbove,
  ).length
  return fresh / items.length
}
