// The collapse monitor's durable facts: the model generations being compared, the frozen probe and reference
// sets they are measured on (with the decoding every probe uses, so budgets match across generations), and
// each generation's probe result. All three are project log events (log-events.ts); reports are derived.
import { z } from 'zod'
import { trainedFile } from './training-run'

const id = z.string().min(1).max(64)

/** A model that was (or will be) probed: generation 0 is the baseline; each later one names its parent. */
export const modelGenerationRecord = z.object({
  id,
  /** 0 for the baseline, the parent's plus one otherwise (set by the service, not the caller). */
  generation: z.number().int().nonnegative(),
  parentId: id.nullable(),
  label: z.string().min(1).max(200),
  engine: z.enum(['llamacpp', 'ollama']),
  /** The GGUF file: how the embedded engine loads it, and what held-out likelihood is scored with. */
  ggufPath: z.string().min(1).max(4096).nullable(),
  /** An Ollama model that generates the probes (held-out likelihood still needs its GGUF file). */
  ollama: z.object({ host: z.string().url().max(2048), name: z.string().min(1).max(200) }).nullable(),
  /** The dataset snapshot it was fine-tuned on, when Winnow exported it. */
  trainingSnapshotId: z.string().max(200).nullable(),
  createdAt: z.string(),
  /**
   * How a fine-tune inside Winnow made it (training-run.ts): absent for generations registered by hand and
   * in events written before runs were recorded.
   */
  training: z
    .object({
      runId: id,
      recipeId: z.string(),
      hyperparameters: z.record(z.string(), z.number().nullable()),
      baseModel: z.object({ path: z.string(), sha256: z.string().nullable() }),
      outputs: z.array(trainedFile),
    })
    .optional(),
})
export type ModelGenerationRecord = z.infer<typeof modelGenerationRecord>

/** Fixed decoding and budgets, frozen with the sets so that every generation is probed the same way. */
export const probeSettings = z.object({
  /** Continuations per probe prompt (k). */
  samplesPerPrompt: z.number().int().min(1).max(64),
  maxTokens: z.number().int().min(1).max(2048),
  /** Sample j of prompt i uses seed + 1000·i + j. */
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31),
  /** Alternatives per position for the confidence metrics (Ollama's ceiling is 20). */
  topLogprobs: z.number().int().min(1).max(20),
})
export type ProbeSettings = z.infer<typeof probeSettings>

/** The template every probe is rendered with: the human prompt as it is, as a raw completion. */
export const probeTemplateId = 'monitor-raw-v1'

export const frozenSets = z.object({
  setsId: id,
  /** The seed of the choice among the project's human samples. */
  choiceSeed: z.number().int().nonnegative(),
  probeSampleIds: z.array(z.string()).min(1),
  referenceSampleIds: z.array(z.string()).min(1),
  /** protectedTextHash of every probe and reference text, so a copy under another id is refused too. */
  textHashes: z.array(z.string()),
  settings: probeSettings,
  frozenAt: z.string(),
})
export type FrozenSets = z.infer<typeof frozenSets>

export const confidenceSummary = z.object({
  positions: z.number().int().nonnegative(),
  meanTruncatedEntropy: z.number(),
  meanLeftoverMass: z.number(),
  meanTopOneProbability: z.number(),
  certainShare: z.number(),
  selfPerplexity: z.number().nullable(),
})

/** One continuation's confidence sums (confidence-summary.ts): pooled and bootstrapped at report time. */
export const confidenceParts = z.object({
  positions: z.number().int().nonnegative(),
  entropySum: z.number(),
  leftoverSum: z.number(),
  topOneSum: z.number(),
  certain: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  negLogprobSum: z.number(),
})

/**
 * The model that embeds probe continuations and reference texts: an Ollama embedding model on a local host,
 * or a GGUF file in the embedded engine (`model` is then its absolute path). Chosen per probe; generations are
 * compared only where they were embedded by the same model.
 */
export const embeddingModel = z.object({
  engine: z.enum(['ollama', 'llamacpp']),
  host: z.string().url().max(2048).nullable(),
  model: z.string().min(1).max(4096),
})
export type EmbeddingModel = z.infer<typeof embeddingModel>

const band = z.object({ low: z.number(), high: z.number() })

/** What embedding-summary.ts computes, as stored: figures, the samples' centroid and half-sample bands. */
export const embeddingSummary = z.object({
  samples: z.number().int().nonnegative(),
  referenceTexts: z.number().int().nonnegative(),
  dimensions: z.number().int().nonnegative(),
  vendi2: z.number().nullable(),
  vendi1: z.number().nullable(),
  meanPairwiseCosineDistance: z.number().nullable(),
  withinInputSpread: z.number().nullable(),
  centroidDriftToReference: z.number().nullable(),
  mmd2ToReference: z.number().nullable(),
  mauve: z.number().nullable(),
  mauveNote: z.string().nullable(),
  centroid: z.array(z.number()),
  bands: z.record(z.string(), band),
})

/** One reference text as a generation scored it: enough to recompute and bootstrap the pooled perplexity. */
export const scoredReference = z.object({
  sampleId: z.string(),
  tokens: z.number().int().nonnegative(),
  /** Σ −log p over its tokens, in nats. */
  nll: z.number(),
  /** Tokens with log p < −10. */
  forgotten: z.number().int().nonnegative(),
})
export type ScoredReference = z.infer<typeof scoredReference>

export const probeResult = z.object({
  generationId: id,
  setsId: id,
  jobId: z.string(),
  /** Identity of the weights that answered (sha256 of the GGUF, or Ollama's digest). */
  modelDigest: z.string().nullable(),
  settings: probeSettings,
  templateId: z.string(),
  /** Every continuation, in prompt order then sample order: text metrics are computed at report time. */
  samples: z.array(z.object({ probeSampleId: z.string(), seed: z.number().int(), text: z.string() })),
  confidence: confidenceSummary.nullable(),
  /** Per continuation with logprobs, for the confidence metrics' bootstrap bands; empty in older probes. */
  confidenceParts: z.array(confidenceParts).default([]),
  heldOut: z
    .object({
      perplexity: z.number().nullable(),
      forgottenShare: z.number().nullable(),
      references: z.array(scoredReference),
    })
    .nullable(),
  /**
   * Each probe story (prompt + continuation) scored by generation 0's model: the median per-story perplexity
   * falls as sampling sharpens onto the mode, the 95th percentile rises as errors accumulate. Null when
   * generation 0 has no GGUF file; absent (read as null) in probes recorded before it was measured.
   */
  baselineScored: z
    .object({
      samples: z.number().int().nonnegative(),
      median: z.number(),
      p95: z.number(),
      /** Every story's perplexity, for the bootstrap bands of median and p95; empty in older probes. */
      perplexities: z.array(z.number()).default([]),
    })
    .nullable()
    .default(null),
  /**
   * Embedding metrics, when the probe was given an embedding model: the summary, or why embedding failed (the
   * rest of the probe still counts). Null when no model was given; absent (null) in older probes.
   */
  embedding: z
    .object({ model: embeddingModel, summary: embeddingSummary.nullable(), error: z.string().nullable() })
    .nullable()
    .default(null),
  probedAt: z.string(),
})
export type ProbeResult = z.infer<typeof probeResult>
