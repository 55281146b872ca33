// What the builder shows before anything is written, and what the manifest records: counts per split, origin,
// depth and model generation, the human share and each generation's share of the exported set, and a few
// rows of each split in a seeded order.
import { hash32 } from './hash'
import { tableOf, type ItemTable } from './item-table'
import type { SelectionItem } from './items'

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
  /** Samples whose bad candidates are exported as negatives (KTO, critique); not items, not in the shares. */
  negatives: { train: number; test: number }
}

function countsOf(table: ItemTable, rows: readonly number[]): SplitCounts {
  let human = 0
  for (const row of rows) if (table.isHuman(row)) human++
  return { total: rows.length, human, synthetic: rows.length - human }
}

function tally(rows: readonly number[], key: (row: number) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + 1
  return out
}

/** The `count` rows of lowest seeded rank: one pass keeping the best few, not a sort of every row. */
function sampleRows(table: ItemTable, rows: readonly number[], count: number, seed: number): number[] {
  if (count <= 0) return []
  type Ranked = { row: number; rank: number }
  const before = (a: Ranked, b: Ranked): boolean =>
    a.rank < b.rank || (a.rank === b.rank && table.compareIds(a.row, b.row) < 0)
  const best: Ranked[] = []
  for (const row of rows) {
    const ranked = { row, rank: hash32(`preview:${table.itemId(row)}`, seed) }
    if (best.length === count && !before(ranked, best[count - 1]!)) continue
    let at = best.length
    while (at > 0 && before(ranked, best[at - 1]!)) at--
    best.splice(at, 0, ranked)
    if (best.length > count) best.pop()
  }
  return best.map(({ row }) => row)
}

/** The preview of the rows in each split; its sample rows are light items (no text). */
export function previewRows(
  table: ItemTable,
  train: readonly number[],
  test: readonly number[],
  seed: number,
  rows = 5,
  negatives = { train: 0, test: 0 },
): SelectionPreview {
  const all = [...train, ...test]
  const counts = { train: countsOf(table, train), test: countsOf(table, test), all: countsOf(table, all) }
  const synthetic = all.filter((row) => !table.isHuman(row))
  const generationCounts = tally(synthetic, (row) => String(table.generation(row) ?? 'unknown'))
  const generationShares: Record<string, number> = {}
  for (const [key, count] of Object.entries(generationCounts)) generationShares[key] = count / all.length
  return {
    counts,
    humanShare: all.length === 0 ? null : counts.all.human / all.length,
    depthHistogram: tally(all, (row) => String(table.depth(row) ?? 'unknown')),
    generationCounts,
    generationShares,
    sampleRows: {
      train: sampleRows(table, train, rows, seed).map((row) => table.lightItem(row)),
      test: sampleRows(table, test, rows, seed).map((row) => table.lightItem(row)),
    },
    negatives,
  }
}

export function previewOf(
  train: readonly SelectionItem[],
  test: readonly SelectionItem[],
  seed: number,
  rows = 5,
): SelectionPreview {
  const all = [...train, ...test]
  const table = tableOf(all, () => null, 0)
  const byId = new Map(all.map((item) => [item.id, item]))
  const preview = previewRows(
    table,
    train.map((_, i) => i),
    test.map((_, i) => train.length + i),
    seed,
    rows,
  )
  const whole = (items: readonly SelectionItem[]): SelectionItem[] => items.map((item) => byId.get(item.id)!)
  return {
    ...preview,
    sampleRows: { train: whole(preview.sampleRows.train), test: whole(preview.sampleRows.test) },
  }
}
