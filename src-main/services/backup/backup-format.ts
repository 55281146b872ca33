// The backup folder's layout: one canonical-JSONL file per table (each line `canonicalJson(row)`, rows in
// log order) and a manifest written last. Only the data files are byte-identical between a backup and the
// backup of its restore; the manifest's project, log and time fields legitimately differ (see manifest).
import { z } from 'zod'
import { projectSettings } from '@shared/domain/project'
import { logEventPayloads, type LogEventKind } from '@shared/domain/log-events'

export const BACKUP_FORMAT = 'winnow-backup'
/** 2 added lineage.jsonl; a version 1 backup (without it) still restores. */
export const BACKUP_FORMAT_VERSION = 2

/** The data files, in the order they are written and restored. Every backup has all of them (maybe empty). */
export const backupFiles = [
  'project.jsonl',
  'imports.jsonl',
  'samples.jsonl',
  'candidates.jsonl',
  'decisions.jsonl',
  'datasets.jsonl',
  'lineage.jsonl',
  'unknown-events.jsonl',
] as const
export type BackupFile = (typeof backupFiles)[number]

/** The data files a backup of this format version has. */
export const backupFilesOf = (formatVersion: number): readonly BackupFile[] =>
  formatVersion >= 2 ? backupFiles : backupFiles.filter((file) => file !== 'lineage.jsonl')

/**
 * The model generations, frozen probe and reference sets, probes and fine-tuning runs, as their events'
 * payloads in log order: what the collapse monitor and the lineage view are made of. A run's files are this
 * machine's; its record is the history of how each generation came to be, and travels with the project.
 */
export const lineageKinds = [
  'monitor.generationRegistered',
  'monitor.setsFrozen',
  'monitor.probed',
  'training.runStarted',
  'training.runProgress',
  'training.runFinished',
] as const satisfies readonly LogEventKind[]

export const lineageRow = z
  .object({ kind: z.enum(lineageKinds), data: z.unknown() })
  .superRefine((row, ctx) => {
    const parsed = logEventPayloads[row.kind].safeParse(row.data)
    if (!parsed.success)
      ctx.addIssue({ code: 'custom', path: ['data'], message: parsed.error.issues[0]?.message ?? 'invalid' })
  })

export const MANIFEST = 'manifest.json'

export const projectRow = z.object({ settings: projectSettings })
/** An import batch's start or finish, as its event's payload (samples carry their batchId themselves). */
export const importRow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('import.batchStarted'), data: logEventPayloads['import.batchStarted'] }),
  z.object({ kind: z.literal('import.batchFinished'), data: logEventPayloads['import.batchFinished'] }),
])
/** An event of a kind (or a version) this app does not know, kept as written so nothing is lost. */
export const unknownEventRow = z.object({
  kind: z.string().min(1),
  v: z.number().int().positive(),
  data: z.unknown(),
})

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const backupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.union([z.literal(1), z.literal(BACKUP_FORMAT_VERSION)]),
  // These differ between a backup and the backup of its restore: the app that wrote it, the time, the
  // project's id, name and creation time, and the log's id and last seq (the restored log has other event
  // ids and leaves job history out). Nothing in the data files depends on them.
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  project: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }),
  log: z.object({ logId: z.string(), lastSeq: z.number().int().nonnegative() }),
  // These are the same for both: the event versions the rows are in, and each data file.
  eventVersions: z.record(z.string(), z.number().int()),
  files: z.array(
    z.object({
      path: z.enum(backupFiles),
      rows: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: sha256Hex,
    }),
  ),
})
export type BackupManifest = z.infer<typeof backupManifest>
