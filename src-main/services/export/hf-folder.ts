// An export's Hugging Face dataset folder: one format's rows as Parquet shards under data/ and a README.md
// dataset card whose front matter points the Hub (and `datasets.load_dataset`) at them. Written at finish
// from that format's JSONL files as closed — exactly the rows the selection kept — one shard at a time, so
// memory stays bounded by a shard whatever the size of the export.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { SnapshotDraft, WrittenFile } from '@shared/domain/dataset-snapshot'
import { exportFormats, type FormatId } from '@shared/export/formats'
import type { FormatOptions } from '@shared/export/format-options'
import { buildDatasetCard, type DatasetCardInput } from './dataset-card'
import type { DatasetFolder } from './dataset-folder'
import { columnsFor, type Columns } from '@shared/export/parquet-columns'
import { writeParquet } from './parquet-writer'

export interface HuggingFaceChoice {
  formatId: FormatId
  /** A Hub license id ("cc-by-4.0", "apache-2.0", "other", …), as the person chose it. */
  license: string
}

/** Rows per Parquet file: the Hub's viewer and `datasets` read shards of this size comfortably. */
export const SHARD_ROWS = 50_000

const splitNames = ['train', 'test'] as const

/** The format's fixed columns, or why it cannot be written as Parquet (a sentence for the person). */
export function parquetColumnsOf(
  choice: HuggingFaceChoice,
  draft: Pick<SnapshotDraft, 'formats' | 'formatOptions'>,
): { columns: Columns } | { problem: string } {
  const label = exportFormats[choice.formatId].label
  if (!draft.formats.includes(choice.formatId))
    return { problem: `The Hugging Face folder is for ${label}, which this export does not write.` }
  const columns = columnsFor(choice.formatId, draft.formatOptions as FormatOptions)
  if (columns === null)
    return {
      problem: `${label} rows have no fixed columns, so they cannot go into Parquet: choose another format for the Hugging Face folder.`,
    }
  return { columns }
}

export async function writeHuggingFaceFolder(
  folder: DatasetFolder,
  choice: HuggingFaceChoice,
  draft: SnapshotDraft,
  written: readonly WrittenFile[],
  shardRows = SHARD_ROWS,
): Promise<WrittenFile[]> {
  const checked = parquetColumnsOf(choice, draft)
  if ('problem' in checked) throw new Error(checked.problem)
  const files: WrittenFile[] = []
  const splits: DatasetCardInput['splits'] = []
  for (const split of splitNames) {
    const source = written.find((file) => file.path === `${choice.formatId}/${split}.jsonl`)
    if (source === undefined) continue // no rows in this split
    files.push(...(await writeShards(folder, source, split, checked.columns, shardRows)))
    splits.push({ name: split, path: `data/${split}-*.parquet`, rows: source.lines })
  }
  files.push(
    await folder.writeWhole('README.md', buildDatasetCard(cardInput(choice, draft, splits, checked.columns))),
  )
  return files
}

async function writeShards(
  folder: DatasetFolder,
  source: WrittenFile,
  split: string,
  columns: Columns,
  shardRows: number,
): Promise<WrittenFile[]> {
  const shards = Math.max(1, Math.ceil(source.lines / shardRows))
  const pad = (n: number): string => String(n).padStart(5, '0')
  const files: WrittenFile[] = []
  let rows: object[] = []
  const flush = async (): Promise<void> => {
    const sink = await folder.openFile(`data/${split}-${pad(files.length)}-of-${pad(shards)}.parquet`)
    try {
      await sink.write(new Uint8Array(writeParquet(columns, rows)))
    } catch (error) {
      await sink.abort()
      throw error
    }
    files.push(await sink.close())
    rows = []
  }
  const lines = createInterface({
    input: createReadStream(folder.resolveInside(source.path).path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  })
  for await (const line of lines) {
    if (line === '') continue
    rows.push(JSON.parse(line) as object)
    if (rows.length === shardRows) await flush()
  }
  if (rows.length > 0 || files.length === 0) await flush()
  if (files.length !== shards)
    throw new Error(
      `${source.path}: expected ${source.lines} rows in ${shards} Parquet files, wrote ${files.length}`,
    )
  return files
}

/** What the card can say from the snapshot alone; what it does not know it says is not recorded. */
function cardInput(
  choice: HuggingFaceChoice,
  draft: SnapshotDraft,
  splits: DatasetCardInput['splits'],
  columns: Columns,
): DatasetCardInput {
  const { byOrigin, byDepth, byGeneration } = draft.counts
  const human = byOrigin.human ?? 0
  const all = Object.values(byOrigin).reduce((sum, n) => sum + n, 0)
  const mix = (draft.spec as { mix?: { accumulate?: unknown } }).mix
  return {
    prettyName: draft.name,
    license: choice.license,
    languages: null,
    taskCategories: ['text-generation'],
    formatLabel: exportFormats[choice.formatId].label,
    splits,
    columns,
    provenance: {
      rowsByOrigin: byOrigin,
      depthHistogram: byDepth,
      rowsByModelGeneration: byGeneration,
      humanShare: all === 0 ? null : human / all,
      decisionsByKind: null,
      annotators: null,
    },
    collapse: {
      // "Accumulate" keeps every human original whatever the filter (the mix policy's guarantee, tested).
      realDataRetained: typeof mix?.accumulate === 'boolean' ? mix.accumulate : null,
      realTokenFraction: null,
      realCount: human,
      freshHumanShare: null,
      nearDuplicateRate: null,
      temperatureMix: null,
    },
  }
}
