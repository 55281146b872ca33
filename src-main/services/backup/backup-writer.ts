// Writes a project backup: the project's log replayed once, in order, into one canonical-JSONL file per
// table (streamed, so a 10 MiB sample costs a few copies of itself, never the whole project), then a
// manifest with each file's rows, bytes and SHA-256, written last: a folder with a manifest is complete.
import { rm } from 'node:fs/promises'
import { canonicalJson } from '@shared/domain/canonical-json'
import {
  logEventPayloads,
  logEventVersions,
  isStoredAsRead,
  readLogEvent,
  type LogEvent,
  type LogEventKind,
} from '@shared/domain/log-events'
import type { ProjectRegistry } from '../projects/project-registry'
import { DatasetFolder, type FileSink, type WrittenFile } from '../export/dataset-folder'
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  MANIFEST,
  backupFiles,
  type BackupFile,
  type BackupManifest,
} from './backup-format'

export interface BackupMeta {
  appVersion: string
  schemaVersion: number
  /** The backup's time; now when absent. */
  now?: () => Date
}

export interface BackupResult {
  folder: string
  /** The data files, then the manifest. */
  files: WrittenFile[]
}

const isKnownKind = (kind: string): kind is LogEventKind => kind in logEventPayloads

/**
 * The payload as this version's shape: the stored object itself when it is already the current version
 * (so fields are kept exactly as written, which the decision chain hashes over), upcast when older.
 */
function currentPayload(event: LogEvent): unknown {
  const kind = event.kind as LogEventKind
  if (event.v === logEventVersions[kind] && isStoredAsRead(kind)) return event.data
  const read = readLogEvent(event)
  if (read === null) throw new Error(`event ${event.seq} (${event.kind} v${event.v}) cannot be read`)
  return read.data
}

function listOf(event: LogEvent, field: string): unknown[] {
  const list = (currentPayload(event) as Record<string, unknown> | null)?.[field]
  if (!Array.isArray(list)) throw new Error(`event ${event.seq} (${event.kind}) has no ${field} list`)
  return list
}

function itemOf(event: LogEvent, field: string): unknown {
  const item = (currentPayload(event) as Record<string, unknown> | null)?.[field]
  if (item === null || typeof item !== 'object')
    throw new Error(`event ${event.seq} (${event.kind}) has no ${field}`)
  return item
}

/** Which file each event's rows go to, and the rows; null for events a backup leaves out. */
function rowsOf(event: LogEvent): { file: BackupFile; rows: unknown[] } | null {
  if (!isKnownKind(event.kind) || event.v > logEventVersions[event.kind])
    return { file: 'unknown-events.jsonl', rows: [{ kind: event.kind, v: event.v, data: event.data }] }
  switch (event.kind) {
    case 'project.created':
      return { file: 'project.jsonl', rows: [{ settings: itemOf(event, 'settings') }] }
    case 'import.batchStarted':
    case 'import.batchFinished':
      return { file: 'imports.jsonl', rows: [{ kind: event.kind, data: currentPayload(event) }] }
    case 'samples.imported':
      return { file: 'samples.jsonl', rows: listOf(event, 'samples') }
    case 'candidates.recorded':
      return { file: 'candidates.jsonl', rows: listOf(event, 'candidates') }
    case 'decision.recorded':
      return { file: 'decisions.jsonl', rows: [itemOf(event, 'decision')] }
    case 'dataset.exported':
      return { file: 'datasets.jsonl', rows: [itemOf(event, 'snapshot')] }
    // The name is the manifest's (a restore names its project); jobs are this install's work in progress,
    // and their params name the project they ran in, so they do not move to another project.
    case 'project.renamed':
    case 'job.changed':
      return null
    // The collapse monitor's generations, frozen sets and probes, and the fine-tuning runs: the lineage.
    case 'monitor.generationRegistered':
    case 'monitor.setsFrozen':
    case 'monitor.probed':
    case 'training.runStarted':
    case 'training.runProgress':
    case 'training.runFinished':
      return { file: 'lineage.jsonl', rows: [{ kind: event.kind, data: currentPayload(event) }] }
  }
}

export async function writeBackup(
  registry: ProjectRegistry,
  projectId: string,
  parent: string,
  meta: BackupMeta,
): Promise<BackupResult> {
  const { log, state } = await registry.load(projectId)
  const now = (meta.now ?? (() => new Date()))()
  const folder = await DatasetFolder.create(parent, `${state.name} backup ${now.toISOString().slice(0, 10)}`)
  const sinks = new Map<BackupFile, FileSink>()
  try {
    for (const file of backupFiles) sinks.set(file, await folder.openFile(file))
    const rows = Object.fromEntries(backupFiles.map((file) => [file, 0])) as Record<BackupFile, number>
    let lastSeq = 0
    for await (const event of log.replay()) {
      lastSeq = event.seq
      const out = rowsOf(event)
      if (!out) continue
      const sink = sinks.get(out.file)!
      for (const row of out.rows) await sink.write(`${canonicalJson(row)}\n`)
      rows[out.file] += out.rows.length
    }
    const files: WrittenFile[] = []
    for (const file of backupFiles) {
      const sink = sinks.get(file)!
      sinks.delete(file)
      files.push(await sink.close())
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion: meta.appVersion,
      schemaVersion: meta.schemaVersion,
      createdAt: now.toISOString(),
      project: { id: projectId, name: state.name, createdAt: state.createdAt },
      log: { logId: log.head().logId, lastSeq },
      eventVersions: { ...logEventVersions },
      files: files.map((file) => ({
        path: file.path as BackupFile,
        rows: rows[file.path as BackupFile],
        bytes: file.bytes,
        sha256: file.sha256,
      })),
    }
    files.push(await folder.writeWhole(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`))
    return { folder: folder.dir, files }
  } catch (error) {
    await Promise.all([...sinks.values()].map((sink) => sink.abort()))
    // A folder without a manifest is not a backup: it was created above, so it is ours to remove.
    await rm(folder.dir, { recursive: true, force: true })
    throw error
  }
}
