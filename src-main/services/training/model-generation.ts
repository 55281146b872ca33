// A model generation: what a fine-tune produced and everything it came from (parent generation, base model,
// dataset snapshot, run, recipe and hyperparameters, output files), with digests, so lineage can be read back
// and checked against the files on disk. Generation 0 is the base model itself.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { z } from 'zod'

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const modelFile = z.strictObject({
  /** Absolute path as registered; the digest says whether the file there is still the same. */
  path: z.string().min(1),
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Hex,
})
export type ModelFile = z.infer<typeof modelFile>

export const modelGeneration = z
  .strictObject({
    /** 0 for a base model, parent + 1 for a fine-tune. */
    generation: z.number().int().nonnegative(),
    parentGeneration: z.number().int().nonnegative().nullable(),
    /** Where it can be run: the embedded llama.cpp engine, or Ollama under `ollamaModel`. */
    engine: z.enum(['llamacpp', 'ollama']),
    ollamaModel: z.string().nullable(),
    createdAt: z.string(),
    /** The model this generation was trained from (the parent's output, or generation 0's file). */
    baseModel: modelFile,
    /** Null for generation 0: nothing was trained. */
    training: z
      .strictObject({
        datasetSnapshotId: z.string().min(1),
        /** Digest of the file the trainer read (for llama.cpp, the rendered plain text). */
        datasetFile: modelFile,
        runId: z.string().min(1),
        recipeId: z.string().min(1),
        hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
        /** The trainer's argv as run (program first), for reproducing it by hand. */
        argv: z.array(z.string()),
        seconds: z.number().nonnegative(),
      })
      .nullable(),
    /** The files that make up this generation: the GGUF model, or an adapter's files. */
    outputs: z.array(modelFile).min(1),
  })
  .superRefine((g, ctx) => {
    const isBase = g.generation === 0
    if (isBase !== (g.parentGeneration === null) || isBase !== (g.training === null))
      ctx.addIssue({ code: 'custom', message: 'Only generation 0 has no parent and no training.' })
    if (g.parentGeneration !== null && g.generation !== g.parentGeneration + 1)
      ctx.addIssue({
        code: 'custom',
        path: ['generation'],
        message: 'A generation follows its parent by one.',
      })
  })
export type ModelGeneration = z.infer<typeof modelGeneration>

/** Size and SHA-256 of a file, streamed: models can be many gigabytes. */
export async function describeFile(path: string): Promise<ModelFile> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { path, name: basename(path), bytes, sha256: hash.digest('hex') }
}

/** Generation 0: a base model file, as it is on disk now. */
export async function baseGeneration(modelPath: string, now = new Date()): Promise<ModelGeneration> {
  const file = await describeFile(modelPath)
  return modelGeneration.parse({
    generation: 0,
    parentGeneration: null,
    engine: 'llamacpp',
    ollamaModel: null,
    createdAt: now.toISOString(),
    baseModel: file,
    training: null,
    outputs: [file],
  })
}

export interface FinishedRun {
  datasetSnapshotId: string
  datasetPath: string
  runId: string
  recipeId: string
  hyperparameters: Record<string, number | string | boolean | null>
  argv: readonly string[]
  seconds: number
  outputPaths: readonly string[]
}

/**
 * The next generation after `parent`, trained by `run`. Digests are taken now, from the files themselves:
 * a record never vouches for bytes it has not read.
 */
export async function nextGeneration(
  parent: ModelGeneration,
  run: FinishedRun,
  now = new Date(),
): Promise<ModelGeneration> {
  const [parentModel] = parent.outputs
  if (!parentModel) throw new Error(`Generation ${parent.generation} has no output file to train from.`)
  const outputs = await Promise.all(run.outputPaths.map(describeFile))
  return modelGeneration.parse({
    generation: parent.generation + 1,
    parentGeneration: parent.generation,
    engine: 'llamacpp',
    ollamaModel: null,
    createdAt: now.toISOString(),
    baseModel: parentModel,
    training: {
      datasetSnapshotId: run.datasetSnapshotId,
      datasetFile: await describeFile(run.datasetPath),
      runId: run.runId,
      recipeId: run.recipeId,
      hyperparameters: run.hyperparameters,
      argv: [...run.argv],
      seconds: run.seconds,
    },
    outputs,
  })
}

export interface LineageStep {
  generation: ModelGeneration
  parent: ModelGeneration | null
}

/** From `generation` back to generation 0, each with its parent; throws when a link is missing or forked. */
export function lineageOf(records: readonly ModelGeneration[], generation: number): LineageStep[] {
  const byNumber = new Map<number, ModelGeneration>()
  for (const record of records) {
    if (byNumber.has(record.generation)) throw new Error(`Two records claim generation ${record.generation}.`)
    byNumber.set(record.generation, modelGeneration.parse(record))
  }
  const steps: LineageStep[] = []
  for (let at: number | null = generation; at !== null;) {
    const current = byNumber.get(at)
    if (!current) throw new Error(`Generation ${at} is not recorded.`)
    const parent = current.parentGeneration === null ? null : (byNumber.get(current.parentGeneration) ?? null)
    if (current.parentGeneration !== null && !parent)
      throw new Error(`Generation ${at}'s parent ${current.parentGeneration} is not recorded.`)
    if (parent && parent.outputs[0]?.sha256 !== current.baseModel.sha256)
      throw new Error(`Generation ${at} was not trained from generation ${parent.generation}'s model file.`)
    steps.push({ generation: current, parent })
    at = current.parentGeneration
  }
  return steps
}
