// The Datasets screen's two passes over the store, as plain functions (the export benchmark runs the same
// ones): a preview streams every sample through the selection without writing, then reads back only the few
// sample rows it shows; an export streams them through the selection and out to main in one pass.
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import { itemsOf, type SelectionItem } from '@shared/export/selection/items'
import type { ProbeOffender, ProtectedSets } from '@shared/export/selection/probe-guard'
import { SelectionStream, type StreamedSelection } from '@shared/export/selection/selection-stream'
import type { WinnowDb } from '../../db/database'
import { exportLogSeq, readExportInputsOf, scanExportInputs } from '../../db/repos/export.repo'
import { countSampleRows } from '../../db/repos/samples.repo'
import {
  writeExport,
  type ExportApi,
  type ExportChoices,
  type WriteOutcome,
  type WriteProgress,
} from './export-writer'

export type PreviewOutcome =
  { ok: true; selection: StreamedSelection; inputCount: number } | { ok: false; offenders: ProbeOffender[] }

export async function exportDataset(
  db: WinnowDb,
  api: ExportApi,
  projectId: string,
  choices: ExportChoices,
  onProgress?: (progress: WriteProgress) => void,
): Promise<WriteOutcome> {
  const logSeq = await exportLogSeq(db, projectId)
  const total = await countSampleRows(db, projectId)
  const source = { logSeq, total, scan: scanExportInputs.bind(null, db, projectId) }
  return writeExport(api, projectId, source, choices, onProgress)
}

export async function previewDataset(
  db: WinnowDb,
  projectId: string,
  spec: DatasetSpec,
  sets: ProtectedSets,
  onRead: (read: number) => void = () => undefined,
): Promise<PreviewOutcome> {
  const stream = new SelectionStream(spec, sets)
  let read = 0
  await scanExportInputs(db, projectId, async (page) => {
    for (const input of page) stream.add(input)
    read += page.length
    onRead(read)
    await Promise.resolve()
  })
  const outcome = stream.finish()
  if (!outcome.ok) return { ok: false, offenders: outcome.error.offenders }
  const { selection } = outcome
  // The streamed items carry no text: read the shown rows' samples again and take their items whole.
  const shown = [...selection.preview.sampleRows.train, ...selection.preview.sampleRows.test]
  const inputs = await readExportInputsOf(
    db,
    projectId,
    shown.map((item) => item.sampleId),
  )
  const whole = new Map(inputs.flatMap(itemsOf).map((item) => [item.id, item]))
  const withText = (items: readonly SelectionItem[]): SelectionItem[] =>
    items.map((item) => whole.get(item.id) ?? item)
  const { sampleRows } = selection.preview
  return {
    ok: true,
    inputCount: read,
    selection: {
      ...selection,
      preview: {
        ...selection.preview,
        sampleRows: { train: withText(sampleRows.train), test: withText(sampleRows.test) },
      },
    },
  }
}
