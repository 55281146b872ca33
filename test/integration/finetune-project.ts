// The fine-tune round trip's project, made only through the app's own paths: human texts imported by the
// import job, decisions recorded by review.decide as the review screen builds them, the log read back by
// log.read, and the renderer's store (Dexie on fake-indexeddb) brought up to date from that log page by
// page, as the projection sync does, so that the Datasets screen's export reads what a person curated.
import { writeFile } from 'node:fs/promises'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import type { AppServices } from '../../src-main/services/app-services'
import type { CandidateRecord } from '@shared/domain/candidate'
import { readLogEvent, type LogEvent } from '@shared/domain/log-events'
import type { SampleRecord } from '@shared/domain/sample'
import { uuidv7 } from '@shared/ids/uuidv7'
import { openDatabase, type WinnowDb } from '../../src-renderer/db/database'
import { applyEvents } from '../../src-renderer/db/projection'
import { exportDataset } from '../../src-renderer/state/datasets/run-export'
import type { ExportChoices, WriteOutcome } from '../../src-renderer/state/datasets/export-writer'
import { buildDecision, type DecisionInput } from '../../src-renderer/state/review-decision'
import { jobSettled } from '../fakes/test-services'

const NAMES = ['Lily', 'Tom', 'Sam', 'Max', 'Anna', 'Ben', 'Mia', 'Tim']
const OPENINGS = [
  (name: string) => `Once upon a time, ${name}`,
  (name: string) => `One day, ${name}`,
  (name: string) => `${name} wanted to`,
  (name: string) => `${name} saw a big`,
  (name: string) => `${name} liked to play`,
  (name: string) => `${name} was very happy because`,
]

/** Human-written story openings, all distinct: what generation 0 continues and a person curates. */
export const storyOpenings: readonly string[] = NAMES.flatMap((name) => OPENINGS.map((open) => open(name)))

/** A person's rewrite of one continuation: distinctive, so the trained text can be searched for it. */
export const EDITED_TEXT =
  ' went to the park with a red kite. The wind was strong, and the kite flew high over the green trees.'

/** Every event of the project's log, read in pages as the renderer reads it. */
export async function readWholeLog(services: AppServices, projectId: string): Promise<LogEvent[]> {
  const events: LogEvent[] = []
  for (;;) {
    const afterSeq = events.at(-1)?.seq ?? 0
    const page = await services.handlers['log.read']({
      projectId,
      afterSeq,
      maxEvents: 10_000,
      maxBytes: 8 << 20,
    })
    events.push(...page.events)
    if (page.events.length === 0 || events.at(-1)!.seq >= page.head.lastSeq) return events
  }
}

export function samplesOf(events: readonly LogEvent[], batchId: string): SampleRecord[] {
  return events.flatMap((event) => {
    const typed = readLogEvent(event)
    return typed?.kind === 'samples.imported' && typed.data.batchId === batchId ? typed.data.samples : []
  })
}

export function candidatesOf(events: readonly LogEvent[], jobId: string): CandidateRecord[] {
  return events.flatMap((event) => {
    const typed = readLogEvent(event)
    return typed?.kind === 'candidates.recorded' ? typed.data.candidates.filter((c) => c.jobId === jobId) : []
  })
}

/** Writes the texts as a JSONL file and imports them as human-written through the import job. */
export async function importHumanTexts(
  services: AppServices,
  projectId: string,
  path: string,
  texts: readonly string[],
): Promise<SampleRecord[]> {
  await writeFile(path, texts.map((text, i) => `${JSON.stringify({ id: `h${i + 1}`, text })}\n`).join(''))
  const { jobId, batchId } = await services.handlers['import.start']({
    projectId,
    spec: {
      path,
      format: 'jsonl',
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared', value: 'human' },
    },
  })
  const job = await jobSettled(services, jobId)
  if (job.status !== 'done') throw new Error(`the import of ${path} ended ${job.status}: ${job.error}`)
  return samplesOf(await readWholeLog(services, projectId), batchId)
}

export interface Curation {
  /** The accepted text of each sample a person selected or edited, by sample id. */
  accepted: Map<string, string>
  editedSampleId: string
  rejectedSampleId: string
  unreviewedSampleId: string
  decisions: number
}

/**
 * One person reviews generation 0's candidates sample by sample: the first candidate shown is selected,
 * except that the third sample's is edited, the fifth's are all rejected and the last sample is left
 * unreviewed. Each decision is built as the review screen builds it and recorded through review.decide.
 */
export async function reviewCandidates(
  services: AppServices,
  projectId: string,
  samples: readonly SampleRecord[],
  candidates: readonly CandidateRecord[],
): Promise<Curation> {
  const accepted = new Map<string, string>()
  const editedSampleId = samples[2]!.id
  const rejectedSampleId = samples[4]!.id
  const unreviewedSampleId = samples.at(-1)!.id
  let decisions = 0
  for (const sample of samples) {
    if (sample.id === unreviewedSampleId) continue
    const shown = candidates.filter((c) => c.sampleId === sample.id && c.status === 'complete')
    const first = shown[0]
    if (first === undefined) throw new Error(`generation 0 wrote no complete candidate for "${sample.text}"`)
    let input: DecisionInput
    if (sample.id === rejectedSampleId) input = { kind: 'reject-all' }
    else if (sample.id === editedSampleId)
      input = { kind: 'edit', candidateId: first.id, candidateText: first.text, editedText: EDITED_TEXT }
    else input = { kind: 'select', candidateId: first.id }
    const decision = buildDecision(input, {
      id: uuidv7(),
      projectId,
      sampleId: sample.id,
      annotator: 'reviewer',
      at: new Date().toISOString(),
      timeSpentMs: 1500,
      shownOrder: shown.map((c) => c.id),
    })
    await services.handlers['review.decide']({ projectId, decision })
    decisions++
    if (input.kind === 'select') accepted.set(sample.id, first.text)
    if (input.kind === 'edit') accepted.set(sample.id, EDITED_TEXT)
  }
  return { accepted, editedSampleId, rejectedSampleId, unreviewedSampleId, decisions }
}

/** The renderer's store on fake-indexeddb, and a catch-up that applies the log's new events to it. */
export interface ProjectStore {
  db: WinnowDb
  catchUp(): Promise<number>
  close(): void
}

export async function openProjectStore(
  services: AppServices,
  projectId: string,
  name: string,
): Promise<ProjectStore> {
  const { db } = await openDatabase(name, { indexedDB: new IDBFactory(), IDBKeyRange })
  let appliedSeq = 0
  return {
    db,
    async catchUp() {
      for (;;) {
        const page = await services.handlers['log.read']({
          projectId,
          afterSeq: appliedSeq,
          maxEvents: 1000,
          maxBytes: 8 << 20,
        })
        if (page.events.length > 0) {
          await applyEvents(db, projectId, page.events, page.head)
          appliedSeq = page.events.at(-1)!.seq
        }
        if (page.events.length === 0 || appliedSeq >= page.head.lastSeq) return appliedSeq
      }
    },
    close: () => db.close(),
  }
}

/**
 * The Datasets screen's export: a new store brought up to the log's head, then one pass over it out to main,
 * with the monitor's protected sets as main knows them now.
 */
export async function exportFromStore(
  services: AppServices,
  projectId: string,
  choices: Omit<ExportChoices, 'protectedSets'>,
): Promise<WriteOutcome> {
  const store = await openProjectStore(services, projectId, `winnow-finetune-${projectId}`)
  try {
    const appliedSeq = await store.catchUp()
    const head = await services.handlers['log.head']({ projectId })
    if (appliedSeq !== head.lastSeq) throw new Error(`the store reached seq ${appliedSeq} of ${head.lastSeq}`)
    const protectedSets = await services.handlers['monitor.protectedSets']({ projectId })
    return await exportDataset(store.db, services.handlers, projectId, { ...choices, protectedSets })
  } finally {
    store.close()
  }
}

/** Seconds per stage, for the test's one line of figures. */
export function stopwatch(): ((stage: string) => void) & { laps: string[] } {
  let last = performance.now()
  const laps: string[] = []
  return Object.assign(
    (stage: string) => {
      const now = performance.now()
      laps.push(`${stage} ${((now - last) / 1000).toFixed(1)} s`)
      last = now
    },
    { laps },
  )
}
