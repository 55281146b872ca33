// Jobs: long work (import now; generation, export, training, probing later) with a status machine
// queued → running → done | failed | cancelled | interrupted, and progress the UI observes.
import { z } from 'zod'

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const
export const jobStatus = z.enum(jobStatuses)
export type JobStatus = z.infer<typeof jobStatus>

export const isTerminal = (status: JobStatus): boolean =>
  status === 'done' || status === 'failed' || status === 'cancelled' || status === 'interrupted'

export const jobProgress = z.object({
  /** What is counted, for the progress label ("bytes", "records"). */
  unit: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  /** Units per second over the recent window. */
  rate: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** Secondary counters (records read, imported, rejected…). */
  counts: z.record(z.string(), z.number()),
})
export type JobProgress = z.infer<typeof jobProgress>

export const jobSnapshot = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: z.string(),
  title: z.string(),
  status: jobStatus,
  params: z.unknown(),
  progress: jobProgress.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Opaque worker state that lets an interrupted job resume without repeating finished work. */
  checkpoint: z.unknown().nullable(),
  result: z.unknown().nullable(),
})
export type JobSnapshot = z.infer<typeof jobSnapshot>
