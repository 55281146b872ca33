// Writes a selected dataset through main: each chosen format's rows per split as JSONL
// (`<format>/<split>.jsonl`), the human originals kept by the mix policy (`human-originals/<split>.jsonl`,
// one `{"text"}` row each), LLaMA-Factory's dataset_info.json, then finish: main closes the files, writes the
// manifest with their hashes and records the frozen snapshot. Lines go in chunks of about 1 MiB, each write
// awaited (backpressure); any failure abandons the export so no half dataset carries a manifest.
import type { Api } from '@shared/ipc/contract'
import type { DatasetSnapshot, SnapshotDraft } from '@shared/domain/dataset-snapshot'
import type { ExportRecord } from '@shared/export/export-record'
import { exportFormats, toJsonLine, type FormatId } from '@shared/export/formats'
import type { FormatOptions } from '@shared/export/format-options'
import { llamaFactoryEntry, type LlamaFactoryEntry } from '@shared/export/formats/llama-factory'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import type { SelectionInput, SelectionItem } from '@shared/export/selection/items'
import type { Selection } from '@shared/export/selection/select-dataset'

export type ExportApi = Pick<Api, 'export.open' | 'export.write' | 'export.finish' | 'export.abort'>

export interface ExportChoices {
  name: string
  /** The folder the person chose; the export gets a new folder inside it. */
  folder: string
  formats: FormatId[]
  spec: DatasetSpec
  formatOptions: FormatOptions
}

export interface WriteProgress {
  /** Files finished of the files planned (formats × splits, plus the human originals). */
  files: number
  totalFiles: number
  rows: number
}

const CHUNK_CHARS = 1024 * 1024
const splits = ['train', 'test'] as const

export async function writeExport(
  api: ExportApi,
  projectId: string,
  inputs: { inputs: SelectionInput[]; logSeq: number },
  selection: Selection,
  choices: ExportChoices,
  onProgress: (progress: WriteProgress) => void = () => undefined,
): Promise<{ snapshot: DatasetSnapshot; folder: string }> {
  const records = new Map(inputs.inputs.map(({ record }) => [record.sampleId, record]))
  const opened = await api['export.open']({ projectId, folder: choices.folder, name: choices.name })
  const { exportId } = opened
  try {
    const rowCounts: Record<string, number> = {}
    const llamaFactory: Record<string, LlamaFactoryEntry> = {}
    const totalFiles = (choices.formats.length + 1) * splits.length
    const progress: WriteProgress = { files: 0, totalFiles, rows: 0 }
    const write = chunkedWriter(api, exportId)
    for (const split of splits) {
      const items = selection[split]
      const accepted = recordsOf(items, 'accepted', records)
      for (const formatId of choices.formats) {
        const file = `${formatId}/${split}.jsonl`
        const { formatter } = exportFormats[formatId]
        let rows = 0
        for (const record of accepted) {
          for (const row of formatter(record, choices.formatOptions)) {
            await write.line(file, toJsonLine(row))
            rows += 1
          }
        }
        await write.flush(file)
        rowCounts[formatId] = (rowCounts[formatId] ?? 0) + rows
        const entry = rows > 0 ? llamaFactoryEntry(formatId, file, choices.formatOptions) : null
        if (entry) llamaFactory[`${choices.name}_${formatId}_${split}`] = entry
        progress.rows += rows
        progress.files += 1
        onProgress({ ...progress })
      }
      // Real data retained ("accumulate"): the human originals the policy kept, as plain text rows.
      const humans = items.filter((item) => item.kind === 'human-original')
      const file = `human-originals/${split}.jsonl`
      for (const item of humans) await write.line(file, toJsonLine({ text: item.text }))
      await write.flush(file)
      rowCounts['human-originals'] = (rowCounts['human-originals'] ?? 0) + humans.length
      progress.rows += humans.length
      progress.files += 1
      onProgress({ ...progress })
    }
    const extraFiles: Record<string, string> = {}
    if (Object.keys(llamaFactory).length > 0)
      extraFiles['dataset_info.json'] = `${JSON.stringify(llamaFactory, null, 2)}\n`
    const { snapshot } = await api['export.finish']({
      exportId,
      snapshot: draftOf(selection, choices, inputs.logSeq, rowCounts),
      extraFiles,
    })
    return { snapshot, folder: opened.folder }
  } catch (error) {
    await api['export.abort']({ exportId }).catch(() => undefined)
    throw error
  }
}

/** The records behind the items of one kind, once each, in the items' order. */
function recordsOf(
  items: readonly SelectionItem[],
  kind: SelectionItem['kind'],
  records: ReadonlyMap<string, ExportRecord>,
): ExportRecord[] {
  const out: ExportRecord[] = []
  for (const item of items) {
    const record = item.kind === kind ? records.get(item.sampleId) : undefined
    if (record) out.push(record)
  }
  return out
}

function draftOf(
  selection: Selection,
  choices: ExportChoices,
  logSeq: number,
  rows: Record<string, number>,
): SnapshotDraft {
  const { preview } = selection
  const sampleIds = (items: readonly SelectionItem[]): string[] => [...new Set(items.map((i) => i.sampleId))]
  return {
    name: choices.name,
    formats: choices.formats,
    spec: choices.spec,
    formatOptions: choices.formatOptions,
    logSeq,
    splits: { train: sampleIds(selection.train), test: sampleIds(selection.test) },
    counts: {
      rows,
      bySplit: { train: preview.counts.train.total, test: preview.counts.test.total },
      byOrigin: { human: preview.counts.all.human, synthetic: preview.counts.all.synthetic },
      byDepth: preview.depthHistogram,
      byGeneration: preview.generationCounts,
    },
    warnings: selection.warnings,
  }
}

/** Buffers each file's lines and sends about 1 MiB per call; one file at a time, in order. */
function chunkedWriter(api: ExportApi, exportId: string) {
  let buffer = ''
  let bufferFile: string | null = null
  const send = async (): Promise<void> => {
    if (bufferFile === null || buffer === '') return
    const text = buffer
    buffer = ''
    await api['export.write']({ exportId, file: bufferFile, text })
  }
  return {
    async line(file: string, line: string): Promise<void> {
      if (bufferFile !== file) {
        await send()
        bufferFile = file
      }
      buffer += line
      if (buffer.length >= CHUNK_CHARS) await send()
    },
    async flush(file: string): Promise<void> {
      if (bufferFile === file) await send()
    },
  }
}
