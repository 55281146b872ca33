// Samples: source records as imported, with where they came from. Synthetic depth 0 means written by a
// human; a model-written record of unknown ancestry is depth 1 (at least one model step away from people).
import { z } from 'zod'

export const origins = ['human', 'model', 'unknown'] as const
export const origin = z.enum(origins)
export type Origin = z.infer<typeof origin>

export const depthForOrigin = (value: Origin): number | null =>
  value === 'human' ? 0 : value === 'model' ? 1 : null

/**
 * Metadata is kept as the object it arrived as: z.record would copy it key by key with assignment, and a
 * `__proto__` key would then become the copy's prototype instead of staying data.
 */
export const jsonObject = z.custom<Record<string, unknown>>(
  (value) => value !== null && typeof value === 'object' && !Array.isArray(value),
  'expected a JSON object',
)

export const sampleRecord = z.object({
  id: z.string(),
  /** Position in the project, 1-based, in import order: the stable sort key of the browse table. */
  ord: z.number().int().positive(),
  text: z.string(),
  externalId: z.string().nullable(),
  meta: jsonObject,
  origin,
  depth: z.number().int().nonnegative().nullable(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  batchId: z.string(),
  /** Where the record was in its file (1-based line, or row for Parquet). */
  line: z.number().int().positive(),
})
export type SampleRecord = z.infer<typeof sampleRecord>
