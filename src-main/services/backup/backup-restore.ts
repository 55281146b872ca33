// Restores a backup into a new project: every file checked against the manifest first, then each row
// validated and appended in log-order batches (bounded memory). Ids and the decisions' chain fields are
// kept exactly as written (the chain hashes over them), so the restored project verifies, and its own
// backup has data files byte-identical to the ones restored from.
import { mkdir } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { logEventPayloads, logEventVersions, type LogEventKind } from '@shared/domain/log-events'
import { sampleRecord } from '@shared/domain/sample'
import { candidateRecord } from '@shared/domain/candidate'
import { decisionRecord } from '@shared/domain/decision'
import { datasetSnapshot } from '@shared/domain/dataset-snapshot'
import { AppFailure } from '@shared/ipc/result'
import type { ProjectRegistry, TypedInput } from '../projects/project-registry'
import { importRow, lineageRow, projectRow, unknownEventRow, type BackupFile } from './backup-format'
import { BackupReader, DEFAULT_CHUNK_BYTES } from './backup-reader'

export interface RestoreOptions {
  /** Read size: a test seam, so characters and line ends straddle reads. */
  chunkBytes?: number
  /** An append carries at most this many rows, or about this many bytes of them. */
  batchRows?: number
  batchBytes?: number
}

export interface RestoreCounts {
  imports: number
  samples: number
  candidates: number
  decisions: number
  datasets: number
  /** Model generations, frozen sets, probes and fine-tuning runs' events. */
  lineage: number
  unknownEvents: number
}

export interface Restored {
  projectId: string
  counts: RestoreCounts
}

type Row = { value: unknown; bytes: number }

/**
 * Rows are checked with this version's schemas, but the parsed-from-JSON object is what is appended: the
 * schema's output would drop or default fields, and the data files must come back byte for byte.
 */
function checked<T extends z.ZodType>(schema: T, file: BackupFile, line: number, text: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AppFailure(
      'invalid-payload',
      `The backup's ${file} line ${line} is not JSON. Nothing was restored.`,
    )
  }
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
    throw new AppFailure(
      'invalid-payload',
      `The backup's ${file} line ${line} is not a valid row${where}: ${issue?.message}. Nothing was restored.`,
    )
  }
  return value
}

export async function restoreBackup(
  registry: ProjectRegistry,
  dir: string,
  name: string,
  options: RestoreOptions = {},
): Promise<Restored> {
  const reader = await BackupReader.open(dir, options.chunkBytes ?? DEFAULT_CHUNK_BYTES)
  const batchRows = options.batchRows ?? 1000
  const batchBytes = options.batchBytes ?? 8 * 1024 * 1024

  // The settings row first: it goes into project.created, before anything else is appended.
  let settings: unknown = null
  for await (const { text, line } of reader.lines('project.jsonl')) {
    if (line > 1) throw new AppFailure('invalid-payload', "The backup's project.jsonl has more than one row.")
    settings = (checked(projectRow, 'project.jsonl', line, text) as { settings: unknown }).settings
  }
  if (settings === null) throw new AppFailure('invalid-payload', "The backup's project.jsonl is empty.")

  const projectId = randomUUID()
  await mkdir(registry.folder(projectId), { recursive: true })
  const counts: RestoreCounts = {
    imports: 0,
    samples: 0,
    candidates: 0,
    decisions: 0,
    datasets: 0,
    lineage: 0,
    unknownEvents: 0,
  }
  const append = (inputs: TypedInput[]): Promise<unknown> =>
    registry.append(projectId, inputs, { urgent: true })
  try {
    await append([
      {
        kind: 'project.created',
        data: { name, settings } as z.infer<(typeof logEventPayloads)['project.created']>,
      },
    ])

    /** Streams a file's rows into appends of at most batchRows rows (or about batchBytes), split where `key` changes. */
    const restoreFile = async (
      file: BackupFile,
      schema: z.ZodType,
      sink: (rows: unknown[]) => Promise<unknown>,
      key: (row: unknown) => string = () => '',
    ): Promise<number> => {
      let batch: Row[] = []
      let bytes = 0
      let batchKey = ''
      let count = 0
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return
        const rows = batch.map((row) => row.value)
        batch = []
        bytes = 0
        await sink(rows)
      }
      for await (const { text, line } of reader.lines(file)) {
        const value = checked(schema, file, line, text)
        const rowKey = key(value)
        if (batch.length > 0 && (rowKey !== batchKey || batch.length >= batchRows || bytes >= batchBytes))
          await flush()
        batchKey = rowKey
        batch.push({ value, bytes: text.length })
        bytes += text.length
        count++
      }
      await flush()
      return count
    }

    const each = (kind: LogEventKind, field: string) => (rows: unknown[]) =>
      append(rows.map((row) => ({ kind, data: { [field]: row } }) as TypedInput))

    counts.imports = await restoreFile('imports.jsonl', importRow, (rows) => append(rows as TypedInput[]))
    counts.samples = await restoreFile(
      'samples.jsonl',
      sampleRecord,
      (rows) =>
        append([
          {
            kind: 'samples.imported',
            data: { batchId: (rows[0] as { batchId: string }).batchId, samples: rows },
          } as TypedInput,
        ]),
      (row) => (row as { batchId: string }).batchId,
    )
    counts.candidates = await restoreFile('candidates.jsonl', candidateRecord, (rows) =>
      append([{ kind: 'candidates.recorded', data: { candidates: rows } } as TypedInput]),
    )
    counts.decisions = await restoreFile(
      'decisions.jsonl',
      decisionRecord,
      each('decision.recorded', 'decision'),
    )
    counts.datasets = await restoreFile(
      'datasets.jsonl',
      datasetSnapshot,
      each('dataset.exported', 'snapshot'),
    )

    // After the samples and snapshots they name (frozen sets, a run's dataset snapshot), in log order.
    counts.lineage = await restoreFile('lineage.jsonl', lineageRow, (rows) => append(rows as TypedInput[]))

    // Kinds (or versions) this app does not know go into the log as they were written, stamped with their
    // own version: the projection skips them, a newer Winnow reads them. (They come last: their place
    // among the other events is not kept.)
    const { log, state } = await registry.load(projectId)
    counts.unknownEvents = await restoreFile('unknown-events.jsonl', unknownEventRow, async (rows) => {
      const events = rows as z.infer<typeof unknownEventRow>[]
      for (const row of events) {
        if (row.kind in logEventPayloads && row.v <= logEventVersions[row.kind as LogEventKind])
          throw new AppFailure(
            'invalid-payload',
            `The backup's unknown-events.jsonl holds a ${row.kind} v${row.v} event, which this version reads. Nothing was restored.`,
          )
      }
      for (const event of await log.append(events, { urgent: true })) state.apply(event)
    })
    await registry.markOpened(projectId)
    return { projectId, counts }
  } catch (error) {
    await registry.delete(projectId).catch(() => undefined)
    throw error
  }
}
