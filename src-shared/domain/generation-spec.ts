// What a generation job is asked to do: which samples, which template, the grid of models × temperatures ×
// candidates per cell, the sampling options, and whether logprobs and thinking are requested.
import { z } from 'zod'
import { promptTemplate } from './prompt-template'

export const ollamaTarget = z.object({
  engine: z.literal('ollama'),
  host: z.string().url(),
  model: z.string().min(1).max(200),
})

/** A GGUF file run in-process by the embedded llama.cpp engine; `model` is its display name. */
export const llamaCppTarget = z.object({
  engine: z.literal('llamacpp'),
  modelPath: z.string().min(1).max(4096),
  model: z.string().min(1).max(200),
})

export const modelTarget = z.discriminatedUnion('engine', [ollamaTarget, llamaCppTarget])
export type ModelTarget = z.infer<typeof modelTarget>

/** Where a target runs: the Ollama host, or the model file for the embedded engine. */
export function targetLocation(target: ModelTarget): string {
  return target.engine === 'ollama' ? target.host : target.modelPath
}

export const generationSpec = z.object({
  /** null: every sample of the project. */
  sampleIds: z.array(z.string().min(1)).min(1).max(200_000).nullable(),
  template: promptTemplate,
  models: z.array(modelTarget).min(1).max(16),
  temperatures: z.array(z.number().min(0).max(5)).min(1).max(16),
  candidatesPerCell: z.number().int().min(1).max(20),
  /** Candidate i of a cell uses seed baseSeed + i, so a grid is reproducible. */
  baseSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  topP: z.number().gt(0).max(1).nullable(),
  topK: z.number().int().min(1).max(1000).nullable(),
  maxTokens: z.number().int().min(1).max(32_768).nullable(),
  stop: z.array(z.string().min(1)).max(16),
  logprobsTopK: z.number().int().min(0).max(20).nullable(),
  think: z.boolean(),
  concurrency: z.number().int().min(1).max(16),
  /** Sending corpus text to a host that is not this machine needs an explicit yes. */
  allowRemoteHost: z.boolean(),
})
export type GenerationSpec = z.infer<typeof generationSpec>

/** What a finished generation job reports (its snapshot's `result`). */
export const generationResult = z.object({
  complete: z.number().int().nonnegative(),
  partial: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Failed and partial candidates of this run by failure kind ('timeout', 'not-found', …). */
  failureKinds: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** Models whose digest changed while the job ran: their candidates come from two different models. */
  digestChanges: z.array(z.string()),
})
export type GenerationResult = z.infer<typeof generationResult>

/** The result of a generation job snapshot, or null when it has none (yet) or is not one. */
export function readGenerationResult(result: unknown): GenerationResult | null {
  const parsed = generationResult.safeParse(result)
  return parsed.success ? parsed.data : null
}
