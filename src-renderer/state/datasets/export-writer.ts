// Writes a dataset in one pass over the store: each record is selected (streaming selection) and its rows
// sent to main at once, in the project's sample order — each chosen format's rows per split as JSONL
// (`<format>/<split>.jsonl`) and the human originals kept by accumulate (`human-originals/<split>.jsonl`,
// one `{"text"}` row each). Nothing holds the whole dataset: lines go in chunks of about 1 MiB per file,
// each write awaited (backpressure), and each line's item is remembered as a number. Dedup and the mix policy
// can only decide once everything is seen, so finish() names, per file, the lines of the items they dropped
// and main leaves those out when it closes the file. Then LLaMA-Factory's dataset_info.json and the manifest.
// Any failure abandons the export so no half dataset carries a manifest.
import type { Api } from '@shared/ipc/contract'
import type { DatasetSnapshot, SnapshotDraft } from '@shared/domain/dataset-snapshot'
import { exportFormats, toJsonLine, type FormatId } from '@shared/export/formats'
import type { FormatOptions } from '@shared/export/format-options'
import { llamaFactoryEntry, type LlamaFactoryEntry } from '@shared/export/formats/llama-factory'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import type { SelectionInput } from '@shared/export/selection/items'
import type { ProbeOffender, ProtectedSets } from '@shared/export/selection/probe-guard'
import {
  NEGATIVE_ROW,
  SelectionStream,
  type StreamedSelection,
} from '@shared/export/selection/selection-stream'

export type ExportApi = Pick<Api, 'export.open' | 'export.write' | 'export.finish' | 'export.abort'>

export interface ExportChoices {
  name: string
  /** The folder the person chose; the export gets a new folder inside it. */
  folder: string
  formats: FormatId[]
  spec: DatasetSpec
  formatOptions: FormatOptions
  protectedSets: ProtectedSets
  /** Also a Hugging Face dataset folder of one format's rows, written by main at finish. */
  huggingFace: { formatId: FormatId; license: string } | null
}

/** Where the records come from: pages in the project's order, and the log position they reflect. */
export interface ExportSource {
  logSeq: number
  /** Samples the scan will visit, for the progress bar. */
  total: number
  scan(visit: (page: readonly SelectionInput[]) => Promise<void>): Promise<void>
}

export interface WriteProgress {
  /** Samples read from the store so far, of `total`. */
  read: number
  total: number
  /** Rows streamed out so far (before the selection's final drops). */
  rows: number
  /** 'closing' once every sample is read: the files are being finished and hashed. */
  stage: 'writing' | 'closing'
}

export type WriteOutcome =
  | { ok: true; snapshot: DatasetSnapshot; folder: string; selection: StreamedSelection; inputCount: number }
  | { ok: false; offenders: ProbeOffender[] }

const CHUNK_CHARS = 1024 * 1024
const MAX_WRITES_IN_FLIGHT = 3

export async function writeExport(
  api: ExportApi,
  projectId: string,
  source: ExportSource,
  choices: ExportChoices,
  onProgress: (progress: WriteProgress) => void = () => undefined,
): Promise<WriteOutcome> {
  const opened = await api['export.open']({ projectId, folder: choices.folder, name: choices.name })
  const { exportId } = opened
  try {
    const stream = new SelectionStream(choices.spec, choices.protectedSets)
    const files = new ExportFiles(api, exportId)
    const progress: WriteProgress = { read: 0, total: source.total, rows: 0, stage: 'writing' }
    await source.scan(async (page) => {
      for (const input of page) {
        for (const { item, row: ordinal, split } of stream.add(input)) {
          if (item.kind === 'human-original') {
            await files.line(`human-originals/${split}.jsonl`, toJsonLine({ text: item.text }), ordinal)
            continue
          }
          for (const formatId of choices.formats)
            for (const row of exportFormats[formatId].formatter(input.record, choices.formatOptions))
              await files.line(`${formatId}/${split}.jsonl`, toJsonLine(row), ordinal)
        }
      }
      progress.read += page.length
      progress.rows = files.lineCount
      onProgress({ ...progress })
    })
    const outcome = stream.finish()
    if (!outcome.ok) {
      await api['export.abort']({ exportId })
      return { ok: false, offenders: outcome.error.offenders }
    }
    const { selection } = outcome
    onProgress({ ...progress, stage: 'closing' })
    await files.flushAll()
    const { dropLines, rowsPerFile } = files.dropsFor(selection.isKept)

    const rowCounts: Record<string, number> = {}
    const llamaFactory: Record<string, LlamaFactoryEntry> = {}
    for (const split of ['train', 'test'] as const) {
      for (const formatId of [...choices.formats, 'human-originals'] as const) {
        const file = `${formatId}/${split}.jsonl`
        const rows = rowsPerFile.get(file) ?? 0
        rowCounts[formatId] = (rowCounts[formatId] ?? 0) + rows
        if (formatId === 'human-originals' || rows === 0) continue
        const entry = llamaFactoryEntry(formatId, file, choices.formatOptions)
        if (entry) llamaFactory[`${choices.name}_${formatId}_${split}`] = entry
      }
    }
    const extraFiles: Record<string, string> = {}
    if (Object.keys(llamaFactory).length > 0)
      extraFiles['dataset_info.json'] = `${JSON.stringify(llamaFactory, null, 2)}\n`
    const { snapshot } = await api['export.finish']({
      exportId,
      snapshot: draftOf(selection, choices, source.logSeq, rowCounts),
      extraFiles,
      ...(Object.keys(dropLines).length > 0 ? { dropLines } : {}),
      huggingFace: choices.huggingFace,
    })
    return { ok: true, snapshot, folder: opened.folder, selection, inputCount: progress.read }
  } catch (error) {
    await api['export.abort']({ exportId }).catch(() => undefined)
    throw error
  }
}

function draftOf(
  selection: StreamedSelection,
  choices: ExportChoices,
  logSeq: number,
  rows: Record<string, number>,
): SnapshotDraft {
  const { preview } = selection
  return {
    name: choices.name,
    formats: choices.formats,
    spec: choices.spec,
    formatOptions: choices.formatOptions,
    logSeq,
    splits: selection.splits,
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

/**
 * The export's open files: about 1 MiB of lines buffered per file, sent in order, and for each line the
 * selection row of the item it came from (4 bytes a line), so the lines of dropped items can be named at the end.
 */
class ExportFiles {
  readonly #buffers = new Map<string, string>()
  readonly #lineItems = new Map<string, GrowingInts>()
  #lines = 0
  /** Writes sent and not yet answered, oldest first. */
  readonly #inFlight: Promise<void>[] = []

  constructor(
    private readonly api: ExportApi,
    private readonly exportId: string,
  ) {}

  get lineCount(): number {
    return this.#lines
  }

  async line(file: string, text: string, ordinal: number): Promise<void> {
    let items = this.#lineItems.get(file)
    if (items === undefined) this.#lineItems.set(file, (items = new GrowingInts()))
    items.push(ordinal)
    this.#lines += 1
    const buffer = (this.#buffers.get(file) ?? '') + text
    if (buffer.length < CHUNK_CHARS) this.#buffers.set(file, buffer)
    else await this.#send(file, buffer)
  }

  async flushAll(): Promise<void> {
    for (const [file, buffer] of this.#buffers) if (buffer !== '') await this.#send(file, buffer)
    while (this.#inFlight.length > 0) await this.#inFlight.shift()
  }

  /** Per file, the base64 drop list of the lines whose item is not kept, and the rows that remain. */
  dropsFor(isKept: Uint8Array): {
    dropLines: Record<string, string>
    rowsPerFile: Map<string, number>
  } {
    const dropLines: Record<string, string> = {}
    const rowsPerFile = new Map<string, number>()
    for (const [file, items] of this.#lineItems) {
      const dropped: number[] = []
      for (let line = 0; line < items.length; line++) {
        const row = items.at(line)
        if (row !== NEGATIVE_ROW && isKept[row] !== 1) dropped.push(line)
      }
      rowsPerFile.set(file, items.length - dropped.length)
      if (dropped.length > 0) dropLines[file] = base64Of(Uint32Array.from(dropped))
    }
    return { dropLines, rowsPerFile }
  }

  /**
   * A few writes in flight while the next chunk is prepared, so main writes one while it receives the next
   * (with one, the export waited on main for 40 % of its time); more wait for the oldest (backpressure). Main
   * applies an export's writes in the order they were sent.
   */
  async #send(file: string, text: string): Promise<void> {
    this.#buffers.set(file, '')
    if (this.#inFlight.length >= MAX_WRITES_IN_FLIGHT) await this.#inFlight.shift()
    const sent = this.api['export.write']({ exportId: this.exportId, file, text }).then(() => undefined)
    sent.catch(() => undefined) // reported when awaited, in order
    this.#inFlight.push(sent)
  }
}

class GrowingInts {
  #values = new Int32Array(1024)
  length = 0
  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = new Int32Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.length++] = value
  }
  at(index: number): number {
    return this.#values[index]!
  }
}

/** Little-endian 32-bit numbers as base64 (every platform Winnow runs on is little-endian, as is the wire). */
function base64Of(values: Uint32Array): string {
  const view = new DataView(new ArrayBuffer(values.length * 4))
  for (let i = 0; i < values.length; i++) view.setUint32(i * 4, values[i]!, true)
  const bytes = new Uint8Array(view.buffer)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
