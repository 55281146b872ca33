// What the builder shows before anything is written, and what the manifest records: counts per split, origin,
// depth and model generation, the human share and each generation's share of the exported set, and a few
// rows of each split in a seeded order.
import { hash32 } from './hash'
import type { SelectionItem } from './items'
import { generationKey } from './mix-policy'

export type SplitCounts = { total: number; human: number; synthetic: number }

export type SelectionPreview = {
  counts: { train: SplitCounts; test: SplitCounts; all: SplitCounts }
  /** null when nothing is exported. */
  humanShare: number | null
  /** Depth → items over the whole export; 'unknown' for items whose depth is not known. */
  depthHistogram: Record<string, number>
  /** Model generation → synthetic items, and the share of the whole export each holds. */
  generationCounts: Record<string, number>
  generationShares: Record<string, number>
  sampleRows: { train: SelectionItem[]; test: SelectionItem[] }
}

function countsOf(items: readonly SelectionItem[]): SplitCounts {
  const human = items.filter((item) => item.origin === 'human').length
  return { total: items.length, human, synthetic: items.length - human }
}

function tally(
  items: readonly SelectionItem[],
  key: (item: SelectionItem) => string,
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1
  return out
}

function sampleRows(items: readonly SelectionItem[], rows: number, seed: number): SelectionItem[] {
  return [...items]
    .map((item) => ({ item, rank: hash32(`preview:${item.id}`, seed) }))
    .sort((a, b) => a.rank - b.rank || (a.item.id < b.item.id ? -1 : 1))
    .slice(0, rows)
    .map(({ item }) => item)
}

export function previewOf(
  train: readonly SelectionItem[],
  test: readonly SelectionItem[],
  seed: number,
  rows = 5,
): SelectionPreview {
  const all = [...train, ...test]
  const counts = { train: countsOf(train), test: countsOf(test), all: countsOf(all) }
  const synthetic = all.filter((item) => item.origin === 'synthetic')
  const generationCounts = tally(synthetic, generationKey)
  const generationShares: Record<string, number> = {}
  for (const [key, count] of Object.entries(generationCounts)) generationShares[key] = count / all.length
  return {
    counts,
    humanShare: all.length === 0 ? null : counts.all.human / all.length,
    depthHistogram: tally(all, (item) => (item.depth === null ? 'unknown' : String(item.depth))),
    generationCounts,
    generationShares,
    sampleRows: { train: sampleRows(train, rows, seed), test: sampleRows(test, rows, seed) },
  }
}
