// The dataset builder's pipeline over records in memory: records → items → filter → probe guard → dedup → mix
// policy → split, with every drop reported by reason and a preview of the result. Pure and deterministic: the
// same records (in any order), spec and protected sets give the same snapshot. It runs the streaming
// selection (selection-stream.ts) and puts the texts back into the items it returns.
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
  const whole = new Map<string, SelectionItem>()
  for (const input of inputs) for (const { item } of stream.add(input)) whole.set(item.id, item)
  const outcome = stream.finish(previewRows)
  if (!outcome.ok) return outcome
  const { selection } = outcome
  const withText = (items: readonly SelectionItem[]): SelectionItem[] =>
    items.map((item) => whole.get(item.id)!)
  return {
    ok: true,
    selection: {
      ...selection,
      train: withText(selection.train),
      test: withText(selection.test),
      preview: {
        ...selection.preview,
        sampleRows: {
          train: withText(selection.preview.sampleRows.train),
          test: withText(selection.preview.sampleRows.test),
        },
      },
    },
  }
}
