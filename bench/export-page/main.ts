// The export benchmark's page, served by the browser host on the app's origin: the app's own store module,
// projection and export pipeline, driven by bench/export.bench.ts through window.winnowBench. Seeding goes
// through the real projection (applyEvents) in large pages instead of the log replay, which would take most
// of an hour for a million decisions.
import { sealDecision } from '@shared/domain/decision-chain'
import {
  logEventVersions,
  type LogEvent,
  type LogEventKind,
  type LogEventPayload,
} from '@shared/domain/log-events'
import { uuidv7 } from '@shared/ids/uuidv7'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import { defaultFormatOptions } from '@shared/export/format-options'
import { noProtectedSets } from '@shared/export/selection/probe-guard'
import { maxKey, minKey, openDatabase, type WinnowDb } from '../../src-renderer/db/database'
import { applyEvents } from '../../src-renderer/db/projection'
import { api } from '../../src-renderer/lib/api'
import { exportDataset } from '../../src-renderer/state/datasets/run-export'
import { benchCandidate, benchSample } from './corpus'

const SEED_PAGE = 2_000
let opened: WinnowDb | null = null
const database = async (): Promise<WinnowDb> => (opened ??= (await openDatabase()).db)

let seq = 0
function event<K extends LogEventKind>(kind: K, data: LogEventPayload<K>): LogEvent {
  seq += 1
  return { seq, id: uuidv7(), v: logEventVersions[kind], kind, at: new Date().toISOString(), data }
}

/** `samples` human samples with 2 candidates each and one decision each: 85 % select, 10 % edit, 5 % reject all. */
async function seed(projectId: string, samples: number): Promise<{ seconds: number }> {
  const db = await database()
  const started = performance.now()
  const logId = `bench-${projectId}`
  const batchId = uuidv7()
  const jobId = uuidv7()
  let prevHash: string | null = null
  seq = 0
  for (let first = 1; first <= samples; first += SEED_PAGE) {
    const lastSeq = seq
    const records = []
    for (let ord = first; ord < first + SEED_PAGE && ord <= samples; ord++)
      records.push(benchSample(ord, uuidv7(), batchId))
    const events = [event('samples.imported', { batchId, samples: records })]
    const candidates = records.flatMap((sample) =>
      [0, 1].map((i) => benchCandidate(sample, i, uuidv7(), jobId)),
    )
    events.push(event('candidates.recorded', { candidates }))
    for (const [i, sample] of records.entries()) {
      const pick = sample.ord % 20
      const chosen = candidates[i * 2 + (sample.ord % 2)]!
      const base = {
        id: uuidv7(),
        projectId,
        sampleId: sample.id,
        candidateId: null,
        editedText: null,
        diff: null,
        flag: null,
        note: null,
        undoes: null,
        annotator: 'bench',
        at: new Date(Date.UTC(2026, 1, 1) + sample.ord * 1000).toISOString(),
        timeSpentMs: 1500,
        shownOrder: [candidates[i * 2]!.id, candidates[i * 2 + 1]!.id],
      }
      const unsealed =
        pick === 0
          ? { ...base, kind: 'reject-all' as const }
          : pick <= 2
            ? { ...base, kind: 'edit' as const, candidateId: chosen.id, editedText: `${chosen.text} Edited.` }
            : { ...base, kind: 'select' as const, candidateId: chosen.id }
      const sealed = sealDecision(unsealed, prevHash)
      prevHash = sealed.hash
      events.push(event('decision.recorded', { decision: sealed }))
    }
    await applyEvents(db, projectId, events, { logId, lastSeq, eventCount: lastSeq, sampleCount: 0 })
  }
  return { seconds: (performance.now() - started) / 1000 }
}

/** The baseline: the rows an export reads (samples, reviews, candidates), scanned by Dexie and stringified. */
async function rawScan(projectId: string): Promise<{ seconds: number; rows: number; chars: number }> {
  const db = await database()
  const started = performance.now()
  let rows = 0
  let chars = 0
  const visit = (row: unknown): void => {
    rows += 1
    chars += JSON.stringify(row).length
  }
  const range = [
    [projectId, minKey],
    [projectId, maxKey],
  ] as const
  await db.samples
    .where('[projectId+ord]')
    .between(...range)
    .each(visit)
  await db.reviews
    .where('[projectId+sampleId]')
    .between(...range)
    .each(visit)
  await db.candidates
    .where('[projectId+status]')
    .between(...range)
    .each(visit)
  return { seconds: (performance.now() - started) / 1000, rows, chars }
}

/** The app's export, as the Datasets screen runs it, of DPO JSONL with the default spec. */
async function exportDpo(
  projectId: string,
  folder: string,
): Promise<{ seconds: number; files: { path: string; lines: number; bytes: number }[]; inputs: number }> {
  const db = await database()
  const started = performance.now()
  const outcome = await exportDataset(db, api, projectId, {
    name: 'Export bench',
    folder,
    formats: ['dpo'],
    spec: defaultDatasetSpec,
    formatOptions: defaultFormatOptions,
    protectedSets: noProtectedSets,
    huggingFace: null,
  })
  if (!outcome.ok) throw new Error(`refused: ${outcome.offenders.length} probe or reference items`)
  const { snapshot } = outcome
  return {
    seconds: (performance.now() - started) / 1000,
    files: snapshot.files.map(({ path, lines, bytes }) => ({ path, lines, bytes })),
    inputs: outcome.inputCount,
  }
}

async function createProject(name: string): Promise<string> {
  return (await api['projects.create']({ name })).id
}

Object.assign(window, { winnowBench: { createProject, seed, rawScan, exportDpo, ready: true } })
