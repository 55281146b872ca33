// What a person chooses when building a training set: which reviewed items to take (filter), how to split
// them, the mix policy that keeps collapse at bay (accumulate, human share, depth, generation shares), dedup,
// and whether probe or reference samples may appear at all. Stored with the frozen snapshot as chosen.
import { z } from 'zod'
import { origin } from '../../domain/sample'

/** The review outcomes that yield a synthetic training item. */
export const acceptedStatuses = ['selected', 'edited'] as const

const isoDate = z.iso.datetime({ offset: true })

export const datasetFilter = z.object({
  /** Only these accepted outcomes become synthetic items. */
  decisions: z.array(z.enum(acceptedStatuses)).min(1),
  /** An accepted item whose chosen candidate carries a flag with one of these reasons is left out. */
  excludeFlagReasons: z.array(z.string()),
  /** The chosen candidate's model and model generation; null takes all. */
  models: z.array(z.string()).nullable(),
  generations: z.array(z.number().int().nonnegative()).nullable(),
  /** The source sample's origin; null takes all. */
  origins: z.array(origin).nullable(),
  /** The item's synthetic depth, inclusive; an item of unknown depth is outside every range. */
  depth: z
    .object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() })
    .refine((range) => range.min <= range.max, 'depth.min must not exceed depth.max')
    .nullable(),
  /** Items of samples carrying at least one of these tags; null takes all. */
  tags: z.array(z.string()).nullable(),
  /** When the sample was last reviewed, inclusive bounds; an unreviewed sample is outside every range. */
  reviewedAt: z.object({ from: isoDate.nullable(), to: isoDate.nullable() }).nullable(),
  /**
   * Samples reviewed without an accepted text but with candidates judged bad (reject-all, flags) feed the
   * formats that learn from bad examples (KTO's false rows, critique). Absent in specs saved before it: on.
   */
  negatives: z.boolean().default(true),
})
export type DatasetFilter = z.infer<typeof datasetFilter>

export const splitSpec = z.object({
  testFraction: z.number().min(0).lt(1),
  /** Also seeds the mix policy's drop order and the MinHash permutations: one seed, one dataset. */
  seed: z.number().int().min(0).max(0xffff_ffff),
})
export type SplitSpec = z.infer<typeof splitSpec>

export const mixPolicy = z.object({
  /** Keep every human original, whatever the filter says ("accumulate, don't replace"). */
  accumulate: z.boolean(),
  minHumanShare: z.number().min(0).max(1).nullable(),
  maxSyntheticDepth: z.number().int().nonnegative().nullable(),
  /** The most any one model generation may hold of the exported set (train and test together). */
  maxSharePerGeneration: z.number().gt(0).max(1).nullable(),
})
export type MixPolicy = z.infer<typeof mixPolicy>

export const nearDuplicateSpec = z.object({
  /** Estimated Jaccard similarity of word-shingle sets at or above which an item is a near-duplicate. */
  threshold: z.number().gt(0).max(1),
  numPerm: z.number().int().min(16).max(512),
  /** Words per shingle. */
  shingle: z.number().int().min(1).max(8),
})
export type NearDuplicateSpec = z.infer<typeof nearDuplicateSpec>

export const dedupSpec = z.object({ exact: z.boolean(), nearDuplicate: nearDuplicateSpec.nullable() })
export type DedupSpec = z.infer<typeof dedupSpec>

/** Lets probe or reference samples into the test split (never train), recorded in the snapshot's warnings. */
export const probeOverride = z.object({ allowed: z.boolean(), reason: z.string().min(1) })
export type ProbeOverride = z.infer<typeof probeOverride>

export const datasetSpec = z.object({
  filter: datasetFilter,
  split: splitSpec,
  mix: mixPolicy,
  dedup: dedupSpec,
  probeOverride: probeOverride.nullable(),
})
export type DatasetSpec = z.infer<typeof datasetSpec>

export const defaultDatasetFilter: DatasetFilter = {
  decisions: ['selected', 'edited'],
  excludeFlagReasons: [],
  models: null,
  generations: null,
  origins: null,
  depth: null,
  tags: null,
  reviewedAt: null,
  negatives: true,
}

export const defaultMixPolicy: MixPolicy = {
  accumulate: true,
  minHumanShare: null,
  maxSyntheticDepth: null,
  maxSharePerGeneration: null,
}

export const defaultDedupSpec: DedupSpec = {
  exact: true,
  nearDuplicate: { threshold: 0.8, numPerm: 128, shingle: 3 },
}

export const defaultDatasetSpec: DatasetSpec = {
  filter: defaultDatasetFilter,
  split: { testFraction: 0.1, seed: 0 },
  mix: defaultMixPolicy,
  dedup: defaultDedupSpec,
  probeOverride: null,
}
