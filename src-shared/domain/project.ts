// Projects: a named, self-contained curation workspace with its own on-disk log.
import { z } from 'zod'

export const projectId = z.string().regex(/^[0-9a-f-]{36}$/, 'a project id is a UUID')

export const projectSettings = z.object({
  /** Fields longer than this (UTF-8 bytes) are rejected at import. */
  maxFieldBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
})
export type ProjectSettings = z.infer<typeof projectSettings>
export const defaultProjectSettings: ProjectSettings = { maxFieldBytes: 1024 * 1024 }

export const projectName = z
  .string()
  .trim()
  .min(1, 'a project needs a name')
  .max(120, 'a project name is at most 120 characters')

export const projectSummary = z.object({
  id: projectId,
  name: z.string(),
  createdAt: z.string(),
  lastOpenedAt: z.string().nullable(),
  settings: projectSettings,
  sampleCount: z.number().int().nonnegative(),
  /** The project log's identity and head: the store's sentinel is compared with these. */
  logId: z.string(),
  lastSeq: z.number().int().nonnegative(),
})
export type ProjectSummary = z.infer<typeof projectSummary>

export const deletionSummary = z.object({
  name: z.string(),
  sampleCount: z.number().int().nonnegative(),
  importBatchCount: z.number().int().nonnegative(),
  eventCount: z.number().int().nonnegative(),
  bytesOnDisk: z.number().int().nonnegative(),
  folder: z.string(),
})
export type DeletionSummary = z.infer<typeof deletionSummary>
