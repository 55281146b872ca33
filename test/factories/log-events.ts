// Project-log content for renderer tests: sample records with real content hashes, and whole import
// batches (start, sample pages, finish) appended to a fake log, jobs and generated candidates.
import { createHash, randomUUID } from 'node:crypto'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { ImportSpec } from '@shared/domain/import-spec'
import type { Origin, SampleRecord } from '@shared/domain/sample'
import type { JobSnapshot } from '@shared/jobs/job'
import type { FakeProjectLog } from '../fakes/fake-project-log'

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

export function makeSample(
  ord: number,
  batchId: string,
  origin: Origin = 'human',
  text?: string,
): SampleRecord {
  const body = text ?? `Sample ${ord} of batch ${batchId.slice(0, 8)}: the quick brown fox ${ord % 7}`
  return {
    id: `s-${batchId.slice(0, 8)}-${ord}`,
    ord,
    text: body,
    externalId: `ext-${ord}`,
    meta: { source: 'factory', index: ord },
    origin,
    depth: origin === 'human' ? 0 : origin === 'model' ? 1 : null,
    contentHash: sha256(body),
    batchId,
    line: ord,
  }
}

export const importSpec: ImportSpec = {
  path: '/data/corpus.jsonl',
  format: 'jsonl',
  textField: 'text',
  idField: null,
  origin: { kind: 'declared', value: 'human' },
}

export interface ImportOptions {
  count: number
  /** Samples per samples.imported event. */
  perEvent?: number
  origin?: Origin | ((ord: number) => Origin)
  text?: (ord: number) => string
  batchId?: string
}

/** Appends one whole import batch; ords continue from the samples already in the log. */
export function appendImport(
  log: FakeProjectLog,
  options: ImportOptions,
): { batchId: string; samples: SampleRecord[] } {
  const batchId = options.batchId ?? randomUUID()
  const perEvent = options.perEvent ?? 500
  const firstOrd = log.head().sampleCount + 1
  const originOf = (ord: number): Origin =>
    typeof options.origin === 'function' ? options.origin(ord) : (options.origin ?? 'human')
  const samples = Array.from({ length: options.count }, (_, k) => {
    const ord = firstOrd + k
    return makeSample(ord, batchId, originOf(ord), options.text?.(ord))
  })
  log.append('import.batchStarted', { batchId, fileName: 'corpus.jsonl', sizeBytes: 1234, spec: importSpec })
  for (let start = 0; start < samples.length; start += perEvent) {
    log.append('samples.imported', { batchId, samples: samples.slice(start, start + perEvent) })
  }
  log.append('import.batchFinished', {
    batchId,
    status: 'done',
    counts: { read: samples.length, imported: samples.length, duplicates: 0, rejected: 0 },
    errors: [],
    errorsTruncated: false,
    message: null,
  })
  return { batchId, samples }
}

export function makeJob(projectId: string, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: randomUUID(),
    projectId,
    kind: 'import',
    title: 'Import corpus.jsonl',
    status: 'running',
    params: {},
    progress: null,
    error: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    checkpoint: null,
    result: null,
    ...overrides,
  }
}

/** A complete candidate with full provenance; override status, text, failure… per test. */
export function makeCandidate(sampleId: string, overrides: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    id: randomUUID(),
    sampleId,
    jobId: 'job-generate',
    slot: `${sampleId}|qwen3:0.6b|0.7|0`,
    status: 'complete',
    text: 'A rewritten sample.',
    thinking: null,
    failure: null,
    provenance: {
      engine: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'qwen3:0.6b',
      modelDigest: 'sha256:' + '7'.repeat(64),
      engineVersion: '0.12.0',
      templateId: 'rewrite-plain',
      templateHash: 'a'.repeat(64),
      prompt: {
        mode: 'chat',
        messages: [
          { role: 'system', content: 'Rewrite the text.' },
          { role: 'user', content: 'The original sample.' },
        ],
      },
      sampling: { temperature: 0.7, topP: 0.9, topK: 40, seed: 42, maxTokens: 512, stop: [] },
      logprobsTopK: 5,
      think: false,
      attempt: 1,
      generationId: 0,
    },
    timings: { firstTokenMs: 120, totalMs: 900 },
    tokenCounts: { prompt: 30, completion: 12 },
    doneReason: 'stop',
    logprobs: { tokens: ['A'], logprobs: [-0.1], topTokens: [['A']], topLogprobs: [[-0.1]] },
    logprobSummary: { tokens: 12, meanLogprob: -0.42, meanTruncatedEntropy: 0.8, meanTop1Probability: 0.71 },
    createdAt: '2025-02-01T00:00:00.000Z',
    ...overrides,
  }
}
