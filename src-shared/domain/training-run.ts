// A fine-tuning run as the project log records it: what was asked for (the frozen dataset snapshot, the
// recipe, the hyperparameters, the parent generation), the run's start with the exact command and the file it
// trained on, a sparse loss curve, and its end with the output files and their digests. The generation a run
// produced is a monitor event (monitor.ts); the run names it.
import { z } from 'zod'

const id = z.string().min(1).max(64)
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const trainingRunStatuses = ['done', 'failed', 'cancelled', 'interrupted'] as const
export const trainingRunStatus = z.enum(trainingRunStatuses)
export type TrainingRunStatus = z.infer<typeof trainingRunStatus>

/** What a person chooses on the fine-tune screen. */
export const trainingRunSpec = z.object({
  snapshotId: id,
  recipeId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  /** The registered generation that is trained: llama.cpp trains its GGUF file; the new generation follows it. */
  parentGenerationId: id,
  /**
   * The base model in Hugging Face form, for recipes that load one (TRL, MLX-LM; optional for a custom
   * command's {model}): an id such as `Qwen/Qwen2.5-0.5B-Instruct` or a local model folder's full path. It
   * must be the model the parent's Ollama model was made from. Null (absent in runs recorded before it
   * existed) for llama.cpp, which trains the parent's own GGUF file.
   */
  baseModel: z.string().max(4096).nullable().optional(),
  /** Names as the recipe takes them (llama.cpp: epochs, learningRate, contextSize, threads, valSplit). */
  hyperparameters: z.record(z.string().max(64), z.number().nullable()),
  /** The custom recipe's whole command, one argument per entry; null for the shipped recipes. */
  customArgv: z.array(z.string().max(4096)).min(1).max(256).nullable(),
  /** The Python a Python recipe runs with (a virtual environment's bin/python); null otherwise. */
  python: z.string().max(4096).nullable(),
  /** Also register the result in this Ollama, when set. */
  ollamaHost: z.string().url().max(2048).nullable(),
  /** The new generation's name; derived from the parent's when null. */
  label: z.string().min(1).max(200).nullable(),
})
export type TrainingRunSpec = z.infer<typeof trainingRunSpec>

export const trainedFile = z.object({
  name: z.string().min(1),
  /** Absolute, as written; the digest says whether the file there is still the same. */
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Hex,
})
export type TrainedFile = z.infer<typeof trainedFile>

/** One point of the loss curve; `seconds` since the run started. */
export const lossPoint = z.object({
  step: z.number().int().nonnegative(),
  total: z.number().int().positive().nullable(),
  loss: z.number().nullable(),
  lr: z.number().nullable(),
  phase: z.enum(['train', 'eval']),
  seconds: z.number().nonnegative(),
})
export type LossPoint = z.infer<typeof lossPoint>

export const trainingRunStarted = z.object({
  runId: id,
  jobId: z.string().min(1),
  spec: trainingRunSpec,
  recipeLabel: z.string(),
  /**
   * The model the trainer loaded: the parent generation's GGUF file with its digest, or the Hugging Face id or
   * folder given for the run (no digest), or for a custom command without one the parent's Ollama name.
   */
  baseModel: z.object({ path: z.string().min(1), sha256: sha256Hex.nullable() }),
  /** The file the trainer read: the snapshot's own file, or the plain text rendered from it. */
  dataset: trainedFile.extend({ format: z.string(), rows: z.number().int().nonnegative() }),
  /** As spawned, program first: enough to rerun it by hand. */
  argv: z.array(z.string()),
  workDir: z.string(),
  startedAt: z.string(),
})
export type TrainingRunStarted = z.infer<typeof trainingRunStarted>

export const trainingRunFinished = z.object({
  runId: id,
  status: trainingRunStatus,
  /** What went wrong and what to do, for failed and interrupted runs. */
  error: z.string().max(8000).nullable(),
  outputs: z.array(trainedFile),
  seconds: z.number().nonnegative().nullable(),
  /** The generation registered from this run (monitor.generationRegistered), when there is one. */
  generationId: id.nullable(),
  ollamaModel: z.string().max(200).nullable(),
  /** The end of the trainer's output, for a failure's post-mortem. */
  logTail: z.string().max(16_000),
  finishedAt: z.string(),
})
export type TrainingRunFinished = z.infer<typeof trainingRunFinished>

/** A run as the screen lists it: its start, its recorded loss points, and its end once it has one. */
export const trainingRunView = z.object({
  started: trainingRunStarted,
  points: z.array(lossPoint),
  finished: trainingRunFinished.nullable(),
})
export type TrainingRunView = z.infer<typeof trainingRunView>

/** A run in progress as main publishes it (a few times a second, never stored): the curve and the log's tail. */
export const liveRun = z.object({
  projectId: z.string(),
  runId: id,
  jobId: z.string(),
  step: z.number().nullable(),
  total: z.number().nullable(),
  loss: z.number().nullable(),
  lr: z.number().nullable(),
  /** The trainer's own estimate, where it prints one. */
  etaSeconds: z.number().nullable(),
  points: z.array(lossPoint),
  tail: z.array(z.string()),
})
export type LiveRun = z.infer<typeof liveRun>
