// The dataset builder's pipeline over records in memory: records → items → filter → probe guard → dedup → mix
// policy → split, with every drop reported by reason and a preview of the result. Pure and deterministic: the
// same records (in any order), spec and protected sets give the same snapshot. It runs the streaming
// selection (selection-stream.ts) and answers with the items themselves, texts included.
import type { DatasetSpec } from './dataset-spec'
import type { SelectionInput, SelectionItem } from './items'
import type { ProtectedSets } from './probe-guard'
import { SelectionStream, type SelectionOutcome } from './selection-stream'

export type { DroppedGroup, Selection, SelectionOutcome } from './selection-stream'

export function selectDataset(
  inputs: readonly SelectionInput[],
  spec: DatasetSpec,
  protectedSets: ProtectedSets,
  previewRows = 5,
): SelectionOutcome {
  const stream = new SelectionStream(spec, protectedSets)
  const byRow: SelectionItem[] = []
  const byId = new Map<string, SelectionItem>()
  for (const input of inputs)
    for (const { item, row } of stream.add(input)) {
      if (row < 0) continue // a negative: named in the outcome by sample
      byRow[row] = item
      byId.set(item.id, item)
    }
  const outcome = stream.finish(previewRows)
  if (!outcome.ok) return outcome
  const { train, test, negatives, dropped, warnings, overridden, preview } = outcome.selection
  const whole = (items: readonly SelectionItem[]): SelectionItem[] => items.map((item) => byId.get(item.id)!)
  return {
    ok: true,
    selection: {
      train: train.map((row) => byRow[row]!),
      test: test.map((row) => byRow[row]!),
      negatives,
      dropped,
      warnings,
      overridden,
      preview: {
        ...preview,
        sampleRows: { train: whole(preview.sampleRows.train), test: whole(preview.sampleRows.test) },
      },
    },
  }
}
