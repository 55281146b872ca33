// Synthetic depth of a training snapshot: how many model generations separate each item from human
// writing. Mass at depth ≥ 2 rising generation over generation is what the replace regime looks like.
import { countWords } from './training-item'
import type { TokenCounter, TrainingItem } from './training-item'

export interface DepthBin {
  /** null collects items of unknown depth. */
  depth: number | null
  items: number
  /** This bin's tokens over all tokens of the snapshot. */
  tokenShare: number
}

export interface DepthHistogram {
  /** Known depths ascending, then unknown depth if any. */
  bins: DepthBin[]
  /** Token share of items at depth ≥ 2; null for a snapshot without tokens. */
  massAtDepth2Plus: number | null
}

export function syntheticDepthHistogram(
  items: readonly TrainingItem[],
  countTokens: TokenCounter = countWords,
): DepthHistogram {
  const bins = new Map<number | null, { items: number; tokens: number }>()
  let totalTokens = 0
  let deepTokens = 0
  for (const item of items) {
    const tokens = countTokens(item.text)
    totalTokens += tokens
    if (item.depth !== null && item.depth >= 2) deepTokens += tokens
    const bin = bins.get(item.depth) ?? { items: 0, tokens: 0 }
    bin.items++
    bin.tokens += tokens
    bins.set(item.depth, bin)
  }
  const order = (depth: number | null) => (depth === null ? Infinity : depth)
  return {
    bins: [...bins]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([depth, bin]) => ({
        depth,
        items: bin.items,
        tokenShare: totalTokens === 0 ? 0 : bin.tokens / totalTokens,
      })),
    massAtDepth2Plus: totalTokens === 0 ? null : deepTokens / totalTokens,
  }
}
