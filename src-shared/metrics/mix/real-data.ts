// Real (human) data in a training snapshot: whether all the original human data is still there — its loss
// is the "replace" regime the literature ties to unbounded collapse — and the real fraction ρ by tokens.
import { countWords, isReal } from './training-item'
import type { TokenCounter, TrainingItem } from './training-item'

export interface RealDataRetained {
  originals: number
  retained: number
  /** retained / originals; null when no original human data is defined. */
  retainedShare: number | null
  /** Every original present; null when no original human data is defined (nothing to keep). */
  isAllRetained: boolean | null
}

export function realDataRetained(
  items: readonly TrainingItem[],
  originalHumanIds: readonly string[],
): RealDataRetained {
  const originals = new Set(originalHumanIds)
  const present = new Set(items.map((item) => item.id))
  let retained = 0
  for (const id of originals) if (present.has(id)) retained++
  if (originals.size === 0) return { originals: 0, retained: 0, retainedShare: null, isAllRetained: null }
  return {
    originals: originals.size,
    retained,
    retainedShare: retained / originals.size,
    isAllRetained: retained === originals.size,
  }
}

export interface RealFraction {
  realCount: number
  realTokens: number
  totalTokens: number
  /** ρ = real tokens / all tokens; null for an empty snapshot. */
  realFraction: number | null
}

export function realFraction(
  items: readonly TrainingItem[],
  countTokens: TokenCounter = countWords,
): RealFraction {
  let realCount = 0
  let realTokens = 0
  let totalTokens = 0
  for (const item of items) {
    const tokens = countTokens(item.text)
    totalTokens += tokens
    if (!isReal(item)) continue
    realCount++
    realTokens += tokens
  }
  return {
    realCount,
    realTokens,
    totalTokens,
    realFraction: totalTokens === 0 ? null : realTokens / totalTokens,
  }
}
