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

/** The `rows` items of lowest seeded rank: one pass keeping the best few, not a sort of every item. */
function sampleRows(items: readonly SelectionItem[], rows: number, seed: number): SelectionItem[] {
  if (rows <= 0) return []
  const before = (a: Ranked, b: Ranked): boolean =>
    a.rank < b.rank || (a.rank === b.rank && a.item.id < b.item.id)
  const best: Ranked[] = []
  for (const item of items) {
    const ranked = { item, rank: hash32(`preview:${item.id}`, seed) }
    if (best.length === rows && !before(ranked, best[rows - 1]!)) continue
    let at = best.length
    while (at > 0 && before(ranked, best[at - 1]!)) at--
    best.splice(at, 0, ranked)
    if (best.length > rows) best.pop()
  }
  return best.map(({ item }) => item)
}

type Ranked = { item: SelectionItem; rank: number }

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
