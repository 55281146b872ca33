// The project log's event kinds and their payloads. Every durable fact is one of these; the store is
// rebuilt by applying them in sequence. Formats are versioned: old events must replay forever, so a
// changed payload is a new version with an upcaster here, never an edit of an old one.
import { z } from 'zod'
import { projectSettings } from './project'
import { sampleRecord } from './sample'
import { importCounts, importError, importProgressMark, importSpec } from './import-spec'
import { jobSnapshot } from '../jobs/job'
import { candidateRecord, candidateRecordV1 } from './candidate'
import { toCompactLogprobs } from './token-logprobs'
import { decodeLogprobs, storedLogprobs } from './stored-logprobs'
import { decisionRecord } from './decision'
import { datasetSnapshot } from './dataset-snapshot'
import { frozenSets, modelGenerationRecord, probeResult } from './monitor'
import { lossPoint, trainingRunFinished, trainingRunStarted } from './training-run'

export const logEventPayloads = {
  'project.created': z.object({ name: z.string(), settings: projectSettings }),
  'project.renamed': z.object({ name: z.string() }),
  'import.batchStarted': z.object({
    batchId: z.string(),
    fileName: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    spec: importSpec,
  }),
  'samples.imported': z.object({
    batchId: z.string(),
    samples: z.array(sampleRecord),
    /** How far through the file this batch reaches, and the counts so far: an exact resume point. */
    through: importProgressMark.optional(),
  }),
  'import.batchFinished': z.object({
    batchId: z.string(),
    status: z.enum(['done', 'failed', 'cancelled', 'interrupted']),
    counts: importCounts,
    errors: z.array(importError),
    errorsTruncated: z.boolean(),
    message: z.string().nullable(),
  }),
  'job.changed': z.object({ job: jobSnapshot }),
  'candidates.recorded': z.object({ candidates: z.array(candidateRecord) }),
  /** One human action, sealed into its project and annotator's hash chain (decision-chain.ts). */
  'decision.recorded': z.object({ decision: decisionRecord }),
  /** A frozen export, written and hashed: what a fine-tune trained on. */
  'dataset.exported': z.object({ snapshot: datasetSnapshot }),
  /** A model generation the collapse monitor compares (monitor.ts). */
  'monitor.generationRegistered': z.object({ generation: modelGenerationRecord }),
  /** The probe and reference sets, frozen once per project: never exported for training. */
  'monitor.setsFrozen': z.object({ sets: frozenSets }),
  /** One generation probed on the frozen sets: its continuations, confidence and held-out likelihood. */
  'monitor.probed': z.object({ probe: probeResult }),
  /** A fine-tuning run began (training-run.ts): what it trains on, from which model, with which command. */
  'training.runStarted': z.object({ run: trainingRunStarted }),
  /** A few more points of a run's loss curve: sparse and bounded per run, never every step. */
  'training.runProgress': z.object({ runId: z.string(), points: z.array(lossPoint).max(256) }),
  /** A run's end: done (with its outputs and digests), failed, cancelled, or interrupted by a stop of Winnow. */
  'training.runFinished': z.object({ run: trainingRunFinished }),
} as const

export type LogEventKind = keyof typeof logEventPayloads
export type LogEventPayload<K extends LogEventKind> = z.infer<(typeof logEventPayloads)[K]>

/** The current version of each kind's payload. */
export const logEventVersions: Record<LogEventKind, number> = {
  'project.created': 1,
  'project.renamed': 1,
  'import.batchStarted': 1,
  'samples.imported': 1,
  'import.batchFinished': 1,
  'job.changed': 1,
  // v3: engine 'import' with its `imported` source and a null temperature; v2 payloads read as they are.
  // v4: logprobs stored as blocks (stored-logprobs.ts), read back as the same columns.
  'candidates.recorded': 4,
  // v2: an optional `imported` source; v1 payloads read as they are.
  'decision.recorded': 2,
  'dataset.exported': 1,
  'monitor.generationRegistered': 1,
  'monitor.setsFrozen': 1,
  'monitor.probed': 1,
  'training.runStarted': 1,
  'training.runProgress': 1,
  'training.runFinished': 1,
}

export const logEvent = z.object({
  seq: z.number().int().positive(),
  id: z.string(),
  v: z.number().int().positive(),
  kind: z.string(),
  at: z.string(),
  data: z.unknown(),
})
export type LogEvent = z.infer<typeof logEvent>

export type TypedLogEvent = {
  [K in LogEventKind]: Omit<LogEvent, 'kind' | 'data'> & { kind: K; data: LogEventPayload<K> }
}[LogEventKind]

export const logHead = z.object({
  logId: z.string(),
  lastSeq: z.number().int().nonnegative(),
  eventCount: z.number().int().nonnegative(),
  sampleCount: z.number().int().nonnegative(),
})
export type LogHead = z.infer<typeof logHead>

/**
 * For events this process has just written from typed inputs: the payload is already the current version's
 * shape (the compiler checked it), so parsing it again would only cost time on the hot path.
 */
export const trustedLogEvent = (event: LogEvent): TypedLogEvent => event as TypedLogEvent

/**
 * Reads a stored event as the current version of its kind, or null for kinds this version does not
 * know (written by a newer app: skipped by the projection, kept in the log).
 */
export function readLogEvent(event: LogEvent): TypedLogEvent | null {
  if (!(event.kind in logEventPayloads)) return null
  const kind = event.kind as LogEventKind
  if (event.v > logEventVersions[kind]) return null
  const data = logEventPayloads[kind].parse(upcast(kind, event.v, event.data))
  return { ...event, kind, data } as TypedLogEvent
}

/**
 * Kinds whose payload is written in another form than it is read in (so a stored current-version payload is
 * not yet the payload itself): candidates.recorded v4's logprob blocks.
 */
export const isStoredAsRead = (kind: LogEventKind): boolean => kind !== 'candidates.recorded'

/** Old payload versions, brought up to the current one. Each step is pinned by a fixture test. */
function upcast(kind: LogEventKind, v: number, data: unknown): unknown {
  if (kind === 'candidates.recorded' && v === 4) {
    // Only the blocks are decoded here; the whole record is checked by the current schema afterwards.
    const candidates = (data as { candidates?: unknown } | null)?.candidates
    if (!Array.isArray(candidates)) return data
    return {
      candidates: candidates.map((c: unknown) => {
        const logprobs = (c as { logprobs?: unknown } | null)?.logprobs
        return logprobs === null || logprobs === undefined
          ? c
          : { ...(c as object), logprobs: decodeLogprobs(storedLogprobs.parse(logprobs)) }
      }),
    }
  }
  if (kind === 'candidates.recorded' && v === 1) {
    const old = z.object({ candidates: z.array(candidateRecordV1) }).parse(data)
    return {
      candidates: old.candidates.map((c) => ({
        ...c,
        logprobs: c.logprobs === null ? null : toCompactLogprobs(c.logprobs),
      })),
    }
  }
  return data
}
