// A frozen export: exactly which samples went into which split, how they were chosen and formatted, and
// the hash of every file written. Stored in the project log, so a fine-tune can always say what it trained
// on, and written beside the data as the manifest.
import { z } from 'zod'

export const writtenFile = z.object({
  /** Relative to the dataset folder, `/`-separated. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})
export type WrittenFile = z.infer<typeof writtenFile>

const countsBy = z.record(z.string(), z.number().int().nonnegative())

/** What the renderer knows when it finishes an export: the selection, its statistics, the choices made. */
export const snapshotDraft = z.object({
  name: z.string().min(1).max(200),
  /** Format ids (src-shared/export/formats.ts) written in this export. */
  formats: z.array(z.string().min(1).max(64)).min(1).max(32),
  /** The dataset spec (filter, split, mix policy, dedup) and the format options, as chosen. */
  spec: z.record(z.string(), z.unknown()),
  formatOptions: z.record(z.string(), z.unknown()),
  /** The project log position the store had reached when the rows were read. */
  logSeq: z.number().int().nonnegative(),
  splits: z.object({ train: z.array(z.string()), test: z.array(z.string()) }),
  counts: z.object({
    rows: countsBy,
    bySplit: countsBy,
    byOrigin: countsBy,
    byDepth: countsBy,
    byGeneration: countsBy,
  }),
  /** Loud, recorded exceptions: e.g. a probe sample allowed into the test split by override. */
  warnings: z.array(z.string().max(2000)).max(1000),
})
export type SnapshotDraft = z.infer<typeof snapshotDraft>

export const datasetSnapshot = snapshotDraft.extend({
  id: z.string(),
  projectId: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  /** The folder the files went to, as created. */
  folder: z.string(),
  files: z.array(writtenFile),
  /** SHA-256 over the canonical JSON of the splits and the files' hashes: equal hashes, equal datasets. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
})
export type DatasetSnapshot = z.infer<typeof datasetSnapshot>
