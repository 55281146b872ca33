// The train splits of the dataset snapshots the model generations name, rebuilt from the log as each export
// read it (events up to the snapshot's logSeq): samples, complete candidates and decisions, made into the
// export's own records and selected again with the snapshot's spec (snapshot-training.ts). A snapshot never
// changes, so each is rebuilt once per process.
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { DecisionRecord } from '@shared/domain/decision'
import { readLogEvent, type LogEvent } from '@shared/domain/log-events'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { SampleRecord } from '@shared/domain/sample'
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import type { ProtectedSets } from '@shared/export/selection/probe-guard'
import { snapshotTraining, type SnapshotTraining } from '@shared/monitor/snapshot-training'
import type { ProjectRegistry } from '../projects/project-registry'

const SNAPSHOT_KINDS: ReadonlySet<string> = new Set(['dataset.exported'])
const RECORD_KINDS: ReadonlySet<string> = new Set([
  'samples.imported',
  'candidates.recorded',
  'decision.recorded',
])

/** An event this version cannot read counts as absent here, as in the store's projection, not as a failure. */
function readable(raw: LogEvent) {
  try {
    return readLogEvent(raw)
  } catch {
    return null
  }
}

interface Seen<T> {
  seq: number
  value: T
}

export class SnapshotTrainings {
  readonly #registry: ProjectRegistry
  readonly #built = new Map<string, SnapshotTraining>()

  constructor(registry: ProjectRegistry) {
    this.#registry = registry
  }

  /** The trainings of the given snapshot ids that are in the log; unknown ids are left out. */
  async of(
    projectId: string,
    snapshotIds: ReadonlySet<string>,
    sets: ProtectedSets,
  ): Promise<Map<string, SnapshotTraining>> {
    const key = (id: string) => `${projectId}|${id}`
    const found = new Map<string, SnapshotTraining>()
    const wanted = new Set<string>()
    for (const id of snapshotIds) {
      const built = this.#built.get(key(id))
      if (built === undefined) wanted.add(id)
      else found.set(id, built)
    }
    if (wanted.size === 0) return found
    const snapshots = await this.#snapshots(projectId, wanted)
    if (snapshots.length === 0) return found
    const records = await this.#records(projectId, snapshots)
    for (const snapshot of snapshots) {
      const inputs = inputsAt(snapshot, records)
      const training = snapshotTraining(snapshot, inputs, sets)
      if (training === null) continue // cannot be rebuilt (a spec this version cannot read): left out as unknown
      this.#built.set(key(snapshot.id), training)
      found.set(snapshot.id, training)
    }
    return found
  }

  async #snapshots(projectId: string, ids: ReadonlySet<string>): Promise<DatasetSnapshot[]> {
    const snapshots: DatasetSnapshot[] = []
    for await (const raw of this.#registry.replayKinds(projectId, SNAPSHOT_KINDS)) {
      const event = readable(raw)
      if (event?.kind === 'dataset.exported' && ids.has(event.data.snapshot.id))
        snapshots.push(event.data.snapshot)
    }
    return snapshots
  }

  /** One pass over the log for every sample the snapshots name, with each event's position. */
  async #records(projectId: string, snapshots: readonly DatasetSnapshot[]): Promise<Records> {
    const sampleIds = new Set(snapshots.flatMap((s) => [...s.splits.train, ...s.splits.test]))
    const until = Math.max(...snapshots.map((s) => s.logSeq))
    const samples = new Map<string, Seen<SampleRecord>>()
    const candidates = new Map<string, Seen<CandidateRecord>[]>()
    const decisions = new Map<string, Seen<DecisionRecord>[]>()
    const push = <T>(map: Map<string, Seen<T>[]>, id: string, seen: Seen<T>) => {
      const list = map.get(id)
      if (list === undefined) map.set(id, [seen])
      else list.push(seen)
    }
    for await (const raw of this.#registry.replayKinds(projectId, RECORD_KINDS)) {
      if (raw.seq > until) break
      const event = readable(raw)
      if (event === null) continue
      if (event.kind === 'samples.imported') {
        for (const sample of event.data.samples)
          if (sampleIds.has(sample.id)) samples.set(sample.id, { seq: raw.seq, value: sample })
      } else if (event.kind === 'candidates.recorded') {
        for (const candidate of event.data.candidates)
          if (sampleIds.has(candidate.sampleId))
            push(candidates, candidate.sampleId, { seq: raw.seq, value: candidate })
      } else if (event.kind === 'decision.recorded') {
        const { decision } = event.data
        if (sampleIds.has(decision.sampleId))
          push(decisions, decision.sampleId, { seq: raw.seq, value: decision })
      }
    }
    return { samples, candidates, decisions }
  }
}

interface Records {
  samples: Map<string, Seen<SampleRecord>>
  candidates: Map<string, Seen<CandidateRecord>[]>
  decisions: Map<string, Seen<DecisionRecord>[]>
}

/** The export's records of the snapshot's samples as the log held them at its logSeq, in sample order. */
function inputsAt(snapshot: DatasetSnapshot, records: Records): SelectionInput[] {
  const upTo = <T>(list: readonly Seen<T>[] | undefined) =>
    (list ?? []).filter((s) => s.seq <= snapshot.logSeq).map((s) => s.value)
  const ids = [...new Set([...snapshot.splits.train, ...snapshot.splits.test])]
  const inputs: { ord: number; input: SelectionInput }[] = []
  for (const id of ids) {
    const sample = records.samples.get(id)
    if (sample === undefined || sample.seq > snapshot.logSeq) continue
    // As the store reads it: candidates only for reviewed samples; one recorded twice (a partial, then the
    // complete text) counts once, as last recorded.
    const candidates = [...new Map(upTo(records.candidates.get(id)).map((c) => [c.id, c])).values()]
    const review = reduceSampleReview(upTo(records.decisions.get(id)))
    let record
    try {
      record = buildExportRecord(sample.value, review.decisionCount === 0 ? [] : candidates, review)
    } catch {
      continue
    }
    inputs.push({ ord: sample.value.ord, input: { record, tags: [], reviewedAt: review.lastDecisionAt } })
  }
  return inputs.sort((a, b) => a.ord - b.ord).map((entry) => entry.input)
}
