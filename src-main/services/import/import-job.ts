// The import job: streams a file through its parser, maps records to samples, skips content already in
// the project, and appends samples to the project log in batches (each flushed to disk before it counts).
// Every rejected line is written to the batch's error file as file:line: reason, and the first
// maxStoredErrors travel in the log so the UI can list them. Another tool's export (tools/) also brings
// candidates and decisions, which travel in the same appends as their samples.
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { once } from 'node:events'
import {
  maxStoredErrors,
  toolOfFormat,
  type ImportCounts,
  type ImportError,
  type ImportProgressMark,
  type ImportSpec,
} from '@shared/domain/import-spec'
import { depthForOrigin, type SampleRecord } from '@shared/domain/sample'
import type { JobContext, JobWorker } from '../jobs/job-runner'
import type { JobSnapshot } from '@shared/jobs/job'
import type { ProjectRegistry } from '../projects/project-registry'
import { parseFile } from './parsers/index'
import { recordToSample } from './record-to-sample'
import { uuidv7 } from '@shared/ids/uuidv7'
import { writeFileAtomic } from '../../fs/atomic-write'
import { ToolImport } from './tools/tool-import'

export interface ImportParams {
  projectId: string
  batchId: string
  spec: ImportSpec
}

/**
 * Where an import stands. Byte offsets, not lines, mark the place: they are unique and increasing (a minified
 * JSON array is all on line 1). Every samples.imported event carries one, so a resumed import goes on exactly
 * after the last batch that reached the log; the job's checkpoint repeats it for the jobs panel.
 */
type ImportCheckpoint = ImportProgressMark

const batchMaxSamples = 1000
const batchMaxBytes = 1024 * 1024
const maxAppendsInFlight = 3
// A resume point every few seconds or every 20 batches, whichever comes first: little to redo after a crash.
const checkpointEveryMs = 3000
const checkpointEveryBatches = 20

export const errorFilePath = (projectFolder: string, batchId: string): string =>
  join(projectFolder, 'imports', `${batchId}.errors.txt`)

export function createImportWorker(registry: ProjectRegistry): JobWorker<ImportParams> {
  const locks = new Map<string, Promise<unknown>>()
  return {
    kind: 'import',
    async run(params, context) {
      // One import at a time per project: sample positions (ord) and deduplication assume it.
      const previous = locks.get(params.projectId) ?? Promise.resolve()
      const current = previous.catch(() => {}).then(() => runImport(registry, params, context))
      locks.set(params.projectId, current)
      return current
    },
    async onInterrupted(job: JobSnapshot) {
      const params = job.params as ImportParams
      const state = await registry.state(params.projectId)
      const checkpoint =
        state.batches.get(params.batchId)?.through ?? (job.checkpoint as ImportCheckpoint | null)
      await registry.append(params.projectId, [
        {
          kind: 'import.batchFinished',
          data: {
            batchId: params.batchId,
            status: 'interrupted',
            counts: checkpoint?.counts ?? { read: 0, imported: 0, duplicates: 0, rejected: 0 },
            errors: [],
            errorsTruncated: false,
            message: 'Interrupted: Winnow stopped during this import. Resume the job to finish it.',
          },
        },
      ])
    },
  }
}

async function runImport(
  registry: ProjectRegistry,
  params: ImportParams,
  context: JobContext,
): Promise<ImportCounts> {
  const { projectId, batchId, spec } = params
  const state = await registry.state(projectId)
  const resume: ImportCheckpoint | null =
    context.resumeFrom === null ? null : (state.batches.get(batchId)?.through ?? null)
  const fileName = basename(spec.path)
  const sizeBytes = (await stat(spec.path)).size
  const errorPath = errorFilePath(registry.folder(projectId), batchId)
  await mkdir(join(registry.folder(projectId), 'imports'), { recursive: true })
  const errors: ImportError[] = resume ? await keepErrorsThrough(errorPath, resume.line) : []
  const errorFile = createWriteStream(errorPath, { flags: resume ? 'a' : 'w' })
  const counts: ImportCounts = resume
    ? { ...resume.counts }
    : { read: 0, imported: 0, duplicates: 0, rejected: 0 }
  const skipThrough = resume?.byteOffset ?? -1

  await registry.append(projectId, [
    { kind: 'import.batchStarted', data: { batchId, fileName, sizeBytes, spec } },
  ])
  const tool = toolOfFormat[spec.format]
  const toolImport =
    tool === undefined
      ? null
      : await ToolImport.open(registry, {
          tool,
          projectId,
          batchId,
          fileName,
          importedAt: new Date().toISOString(),
        })

  let batch: SampleRecord[] = []
  let batchBytes = 0
  let ord = state.nextOrd
  let bytesRead = 0
  const pendingHashes = new Set<string>()
  const inFlight: Promise<void>[] = []
  let lastCheckpointAt = Date.now()
  let batchesSinceCheckpoint = 0
  let lastMark: ImportCheckpoint = resume ?? { byteOffset: -1, line: 0, counts: { ...counts } }
  let currentOffset = skipThrough
  let currentLine = resume?.line ?? 0

  const flush = async (): Promise<void> => {
    if (batch.length === 0 && !toolImport?.hasPending) return
    const samples = batch
    const through: ImportCheckpoint = { byteOffset: currentOffset, line: currentLine, counts: { ...counts } }
    batch = []
    batchBytes = 0
    const appended = registry.append(projectId, [
      { kind: 'samples.imported', data: { batchId, samples, through } },
      ...(toolImport?.drain() ?? []),
    ])
    inFlight.push(
      appended.then(() => {
        for (const sample of samples) pendingHashes.delete(sample.contentHash)
        lastMark = through
      }),
    )
    while (inFlight.length >= maxAppendsInFlight) await inFlight.shift()
    if (
      ++batchesSinceCheckpoint >= checkpointEveryBatches ||
      Date.now() - lastCheckpointAt > checkpointEveryMs
    ) {
      batchesSinceCheckpoint = 0
      await Promise.all(inFlight.splice(0))
      lastCheckpointAt = Date.now()
      await context.checkpoint(lastMark)
    }
  }

  const isKnownSample = (contentHash: string): boolean =>
    state.hashes.has(contentHash) || pendingHashes.has(contentHash)

  const reject = async (line: number, reason: string): Promise<void> => {
    counts.rejected++
    if (errors.length < maxStoredErrors) errors.push({ line, reason })
    if (!errorFile.write(`${fileName}:${line}: ${reason.replace(/[\r\n]+/g, ' ')}\n`))
      await once(errorFile, 'drain')
  }

  const report = (): void =>
    context.report({ unit: 'bytes', done: bytesRead, total: sizeBytes, counts: { ...counts } })

  let finished = false
  try {
    const items = parseFile(spec.path, spec.format, {
      limits: { maxFieldBytes: state.settings.maxFieldBytes },
      signal: context.signal,
      onProgress: (bytes) => {
        bytesRead = bytes
      },
    })
    for await (const item of items) {
      if (item.location.byteOffset <= skipThrough) continue
      currentOffset = item.location.byteOffset
      currentLine = item.location.line
      counts.read++
      if (item.kind === 'error') {
        await reject(item.location.line, item.reason)
      } else if (toolImport) {
        const added = toolImport.add(
          item.fields,
          item.location.line,
          spec.textField,
          spec.origin,
          isKnownSample,
        )
        if (!added.ok) await reject(item.location.line, added.reason)
        else {
          if (added.sample) {
            pendingHashes.add(added.sample.contentHash)
            batch.push({
              ...added.sample,
              ord: ord++,
              depth: depthForOrigin(added.sample.origin),
              batchId,
              line: item.location.line,
            })
          }
          if (added.isNew) counts.imported++
          else counts.duplicates++
          batchBytes += added.bytes + 200
          if (batch.length >= batchMaxSamples || batchBytes >= batchMaxBytes) await flush()
        }
      } else {
        const mapped = recordToSample(item.fields, spec)
        if (!mapped.ok) {
          await reject(item.location.line, mapped.reason)
        } else if (
          state.hashes.has(mapped.sample.contentHash) ||
          pendingHashes.has(mapped.sample.contentHash)
        ) {
          counts.duplicates++
        } else {
          const { sample } = mapped
          pendingHashes.add(sample.contentHash)
          batch.push({
            id: uuidv7(),
            ord: ord++,
            ...sample,
            depth: depthForOrigin(sample.origin),
            batchId,
            line: item.location.line,
          })
          counts.imported++
          batchBytes += sample.text.length + 200
          if (batch.length >= batchMaxSamples || batchBytes >= batchMaxBytes) await flush()
        }
      }
      if ((counts.read & 1023) === 0) report()
    }
    await flush()
    await Promise.all(inFlight.splice(0))
    bytesRead = sizeBytes
    report()
    finished = true
  } finally {
    await Promise.allSettled(inFlight.splice(0))
    errorFile.end()
    await once(errorFile, 'close').catch(() => {})
    await finishBatch(registry, projectId, batchId, counts, errors, finished, context.signal.aborted)
  }
  return counts
}

async function finishBatch(
  registry: ProjectRegistry,
  projectId: string,
  batchId: string,
  counts: ImportCounts,
  errors: ImportError[],
  finished: boolean,
  cancelled: boolean,
): Promise<void> {
  const status = finished ? 'done' : cancelled ? 'cancelled' : 'failed'
  const message = finished
    ? null
    : cancelled
      ? `Cancelled: ${counts.imported} samples imported before the cancel were kept.`
      : 'The import stopped with an error; the samples imported before it were kept.'
  await registry.append(projectId, [
    {
      kind: 'import.batchFinished',
      data: { batchId, status, counts, errors, errorsTruncated: counts.rejected > errors.length, message },
    },
  ])
}

/** On resume: the error file keeps what was found up to the resume point; later lines are found again. */
async function keepErrorsThrough(errorPath: string, line: number): Promise<ImportError[]> {
  const text = await readFile(errorPath, 'utf8').catch(() => '')
  const kept: string[] = []
  const errors: ImportError[] = []
  for (const entry of text.split('\n')) {
    const match = entry.match(/^.*?:(\d+): (.*)$/)
    if (!match || Number(match[1]) > line) continue
    kept.push(entry)
    if (errors.length < maxStoredErrors) errors.push({ line: Number(match[1]), reason: match[2]! })
  }
  await writeFileAtomic(errorPath, kept.map((entry) => `${entry}\n`).join(''))
  return errors
}
