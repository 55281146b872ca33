// Project-log content for renderer tests: sample records with real content hashes, and whole import
// batches (start, sample pages, finish) appended to a fake log.
import { createHash, randomUUID } from 'node:crypto'
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
