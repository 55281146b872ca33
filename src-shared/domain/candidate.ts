// Candidates: model-written rewrites of a sample, each with the full provenance of how it came to be.
// A candidate is complete, partial (the stream broke after some text: never to be treated as final) or
// failed; all three are recorded, because a failure is provenance too.
import { z } from 'zod'
import { compactLogprobs } from './token-logprobs'
import { importedFrom } from './import-source'

export const candidateStatuses = ['complete', 'partial', 'failed'] as const
export const candidateStatus = z.enum(candidateStatuses)
export type CandidateStatus = z.infer<typeof candidateStatus>

const chatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })
export const renderedPrompt = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('chat'), messages: z.array(chatMessage) }),
  z.object({ mode: z.literal('raw'), text: z.string() }),
])

export const samplingOptions = z.object({
  /** Null only for an imported candidate whose tool did not record it (candidates.recorded v3). */
  temperature: z.number().min(0).max(5).nullable(),
  topP: z.number().gt(0).max(1).nullable(),
  topK: z.number().int().min(1).max(1000).nullable(),
  seed: z.number().int().nullable(),
  maxTokens: z.number().int().min(1).max(32_768).nullable(),
  stop: z.array(z.string().min(1)).max(16),
})

/** One object per token: how candidates.recorded v1 stored logprobs (v2 stores column arrays). */
export const tokenLogprobV1 = z.object({
  token: z.string(),
  logprob: z.number(),
  top: z.array(z.object({ token: z.string(), logprob: z.number() })),
})

export const logprobSummary = z.object({
  tokens: z.number().int().nonnegative(),
  meanLogprob: z.number(),
  /** Mean entropy of the top-k alternatives renormalised (a lower bound of the true entropy). */
  meanTruncatedEntropy: z.number().nonnegative(),
  meanTop1Probability: z.number().min(0).max(1),
})
export type LogprobSummary = z.infer<typeof logprobSummary>

/**
 * How a candidate came to be. Engine 'import' (candidates.recorded v3) marks a text brought in from another
 * tool's export: `imported` then says from which file and tool, and the generation fields hold what is known
 * — the model the tool named (else 'unknown'), an empty template id and hash, the prompt shown if the tool kept
 * it, a null temperature, attempt 1 and generation 0 — never values that look measured.
 */
export const candidateProvenance = z.object({
  engine: z.enum(['ollama', 'llamacpp', 'import']),
  host: z.string().nullable(),
  model: z.string(),
  modelDigest: z.string().nullable(),
  engineVersion: z.string().nullable(),
  templateId: z.string(),
  templateHash: z.string(),
  prompt: renderedPrompt,
  sampling: samplingOptions,
  logprobsTopK: z.number().int().min(0).max(20).nullable(),
  think: z.boolean(),
  attempt: z.number().int().positive(),
  /** The number of the model generation that wrote it: 0 for a model that is not a registered generation. */
  generationId: z.number().int().nonnegative(),
  /** The registered generation itself (monitor.generationRegistered), absent when the model is not one. */
  modelGeneration: z.object({ id: z.string(), label: z.string() }).optional(),
  imported: importedFrom.optional(),
})
export type CandidateProvenance = z.infer<typeof candidateProvenance>

export const candidateRecord = z.object({
  id: z.string(),
  sampleId: z.string(),
  jobId: z.string(),
  /** Which cell of the job's grid this fills (sample, model, temperature, index): resume skips filled slots. */
  slot: z.string(),
  status: candidateStatus,
  text: z.string(),
  thinking: z.string().nullable(),
  failure: z.object({ kind: z.string(), message: z.string() }).nullable(),
  provenance: candidateProvenance,
  timings: z.object({ firstTokenMs: z.number().nullable(), totalMs: z.number() }),
  tokenCounts: z.object({ prompt: z.number().int().nullable(), completion: z.number().int().nullable() }),
  doneReason: z.string().nullable(),
  logprobs: compactLogprobs.nullable(),
  logprobSummary: logprobSummary.nullable(),
  createdAt: z.string(),
})
export type CandidateRecord = z.infer<typeof candidateRecord>

/** candidates.recorded v1: the same record with one object per token in `logprobs`. */
export const candidateRecordV1 = candidateRecord.extend({ logprobs: z.array(tokenLogprobV1).nullable() })
