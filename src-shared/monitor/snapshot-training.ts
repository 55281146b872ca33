// What a dataset snapshot's train split was made of, item by item, rebuilt from the log as it stood when the
// export read it: the export's own selection (SelectionStream with the snapshot's spec) run again over the same
// records, so the monitor's data mix counts exactly the human originals and accepted texts that were written.
// The snapshot keeps only sample ids per split, and one sample can give both a human original and an accepted
// text (or only one of them), so the ids alone cannot say which human originals were kept.
import type { DatasetSnapshot } from '../domain/dataset-snapshot'
import { datasetSpec } from '../export/selection/dataset-spec'
import type { SelectionInput } from '../export/selection/items'
import type { ProtectedSets } from '../export/selection/probe-guard'
import { noProtectedSets } from '../export/selection/probe-guard'
import { NEGATIVE_ROW, SelectionStream } from '../export/selection/selection-stream'
import { normalisedWordEditDistance } from '../metrics/human/word-edit-distance'
import type { TrainingItem } from '../metrics/mix/training-item'

export type SnapshotForMix = Pick<DatasetSnapshot, 'id' | 'name' | 'spec' | 'splits'>

export interface SnapshotTraining {
  snapshotId: string
  snapshotName: string
  /** The train split's items: human originals under their sample id, accepted texts as `accepted:<id>`. */
  items: TrainingItem[]
  /** Human-origin samples the train split drew on (as an original or as the prompt of an accepted text). */
  humanSampleIds: string[]
  /** Those whose human original is in the train split. */
  keptHumanOriginalIds: string[]
  /** Why the figures may not be the export's own (the log no longer gives the same train split); else null. */
  note: string | null
}

function trainingItemOf(
  input: SelectionInput,
  kind: 'human-original' | 'accepted',
  text: string,
): TrainingItem {
  const { record } = input
  if (kind === 'human-original')
    return { id: record.sampleId, origin: 'human', depth: 0, text, editDistance: null, temperature: null }
  const chosen = record.candidates.find((c) => c.id === record.review.chosenCandidateId) ?? null
  return {
    id: `accepted:${record.sampleId}`,
    origin: 'model',
    depth: record.source.depth === null ? null : record.source.depth + 1,
    text,
    editDistance:
      record.review.status === 'edited' && chosen !== null
        ? normalisedWordEditDistance(chosen.text, record.review.finalText ?? '')
        : null,
    temperature: chosen?.sampling.temperature ?? null,
  }
}

function select(snapshot: SnapshotForMix, inputs: readonly SelectionInput[], sets: ProtectedSets) {
  // A spec this version cannot read (a hand-made or future snapshot) cannot be selected again.
  const parsed = datasetSpec.safeParse(snapshot.spec)
  if (!parsed.success) return null
  const stream = new SelectionStream(parsed.data, sets)
  const rows = new Map<number, { input: SelectionInput; kind: 'human-original' | 'accepted'; text: string }>()
  for (const input of inputs)
    for (const { item, row } of stream.add(input))
      if (row !== NEGATIVE_ROW && item.kind !== 'negative')
        rows.set(row, { input, kind: item.kind, text: item.text })
  const outcome = stream.finish()
  return outcome.ok ? { selection: outcome.selection, rows } : null
}

/**
 * Rebuilds the train split's items. `inputs` are the records of the snapshot's samples as the log held them at
 * the snapshot's `logSeq`; `sets` the frozen probe and reference sets. Null when the training set cannot be rebuilt.
 */
export function snapshotTraining(
  snapshot: SnapshotForMix,
  inputs: readonly SelectionInput[],
  sets: ProtectedSets = noProtectedSets,
): SnapshotTraining | null {
  // An export made before the sets were frozen did not see them (accumulate then kept their human originals,
  // now left out): of the two selections, the one that gives the recorded train split is the export's.
  const attempts = [select(snapshot, inputs, sets), select(snapshot, inputs, noProtectedSets)].flatMap((a) =>
    a === null ? [] : [a],
  )
  const recorded = new Set(snapshot.splits.train)
  const isRecorded = (ids: readonly string[]) =>
    ids.length === recorded.size && ids.every((id) => recorded.has(id))
  const selected = attempts.find((a) => isRecorded(a.selection.splits.train)) ?? attempts[0]
  // Unreadable spec, or refused even without the sets: the training set cannot be rebuilt from the log.
  if (selected === undefined) return null
  const { selection, rows } = selected
  const items: TrainingItem[] = []
  const humanSampleIds = new Set<string>()
  const kept: string[] = []
  for (const row of selection.train) {
    const entry = rows.get(row)
    if (entry === undefined) continue
    items.push(trainingItemOf(entry.input, entry.kind, entry.text))
    if (entry.input.record.source.origin !== 'human') continue
    humanSampleIds.add(entry.input.record.sampleId)
    if (entry.kind === 'human-original') kept.push(entry.input.record.sampleId)
  }
  const expected = new Set(snapshot.splits.train)
  const rebuilt = new Set(selection.splits.train)
  const matched = [...rebuilt].filter((id) => expected.has(id)).length
  const isSame = matched === expected.size && rebuilt.size === expected.size
  return {
    snapshotId: snapshot.id,
    snapshotName: snapshot.name,
    items,
    humanSampleIds: [...humanSampleIds].sort(),
    keptHumanOriginalIds: kept.sort(),
    note: isSame
      ? null
      : `Rebuilt from the log, the train split has ${rebuilt.size} samples and the export recorded ` +
        `${expected.size} (${matched} in both): figures are approximate.`,
  }
}
