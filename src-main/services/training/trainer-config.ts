// The config file Winnow writes for a trainer run, read by the shipped Python recipes and available to
// custom commands as {config}. One JSON object (snake_case, so Python reads it as it is):
//
//   {
//     "schema": "winnow.trainer-config/1",
//     "run_id": "…", "recipe": "trl-lora", "method": "sft" | "dpo" | "full",
//     "base_model": "Qwen/Qwen2.5-0.5B-Instruct",      // HF id, local folder or GGUF path, per recipe
//     "dataset": { "path": "/…/train.jsonl", "format": "sft-messages", "validation_path": null },
//     "output_dir": "/…/output",                        // the trainer writes its adapter or model here
//     "hyperparameters": { "epochs", "max_steps", "learning_rate", "batch_size", "gradient_accumulation",
//                          "lora_rank", "lora_alpha", "lora_dropout", "max_seq_length", "seed", "beta" }
//   }
//
// Every hyperparameter is present: the recipe's defaults, then Winnow's, overridden by the run's choices.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { AppFailure } from '@shared/ipc/result'
import { writeFileAtomic } from '../../fs/atomic-write'
import { hyperparametersSchema, trainingMethods, type Hyperparameters, type Recipe } from './recipe'

const preferenceFormats: ReadonlySet<string> = new Set(['dpo', 'openai-preference', 'kto'])

export const trainerConfigSchemaId = 'winnow.trainer-config/1'
export const trainerConfigFileName = 'trainer-config.json'

/** Used where neither the recipe nor the run sets a value: small, safe LoRA settings. */
export const baseHyperparameters: Hyperparameters = {
  epochs: 1,
  max_steps: null,
  learning_rate: 2e-4,
  batch_size: 4,
  gradient_accumulation: 1,
  lora_rank: 16,
  lora_alpha: 32,
  lora_dropout: 0.05,
  max_seq_length: 2048,
  seed: 0,
  beta: 0.1,
}

export const trainerConfigSchema = z.strictObject({
  schema: z.literal(trainerConfigSchemaId),
  run_id: z.string().min(1),
  recipe: z.string().min(1),
  method: z.enum(trainingMethods),
  base_model: z.string().min(1),
  dataset: z.strictObject({
    path: z.string().min(1),
    format: z.string().min(1),
    validation_path: z.string().min(1).nullable(),
  }),
  output_dir: z.string().min(1),
  hyperparameters: hyperparametersSchema,
})
export type TrainerConfig = z.infer<typeof trainerConfigSchema>

export interface TrainerRunSpec {
  runId: string
  method: TrainerConfig['method']
  baseModel: string
  dataset: { path: string; format: Recipe['reads'][number]; validationPath?: string | null }
  outputDir: string
  /** The run's own folder: the config is written here. */
  workDir: string
  hyperparameters?: Partial<Hyperparameters>
}

export function trainerConfig(recipe: Recipe, run: TrainerRunSpec): TrainerConfig {
  if (!recipe.reads.includes(run.dataset.format))
    throw new AppFailure(
      'invalid-payload',
      `${recipe.label} reads ${recipe.reads.join(', ')}, not ${run.dataset.format}: export the dataset in one of those formats.`,
    )
  if (!recipe.methods.includes(run.method))
    throw new AppFailure(
      'invalid-payload',
      `${recipe.label} does not do ${run.method} (it does ${recipe.methods.join(', ')}).`,
    )
  // DPO learns from chosen/rejected pairs and SFT from accepted texts; the other's rows would fail minutes in.
  const isPreference = preferenceFormats.has(run.dataset.format)
  if ((run.method === 'dpo') !== isPreference && run.method !== 'full')
    throw new AppFailure(
      'invalid-payload',
      run.method === 'dpo'
        ? `DPO trains on preference pairs: export the dataset as DPO, not ${run.dataset.format}.`
        : `${run.method.toUpperCase()} trains on accepted texts, not ${run.dataset.format} preference rows: export an SFT format.`,
    )
  const parsed = trainerConfigSchema.safeParse({
    schema: trainerConfigSchemaId,
    run_id: run.runId,
    recipe: recipe.id,
    method: run.method,
    base_model: run.baseModel,
    dataset: {
      path: run.dataset.path,
      format: run.dataset.format,
      validation_path: run.dataset.validationPath ?? null,
    },
    output_dir: run.outputDir,
    hyperparameters: { ...baseHyperparameters, ...recipe.defaults, ...run.hyperparameters },
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppFailure('invalid-payload', `Trainer settings: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  return parsed.data
}

/** Writes the run's config atomically (R11) into its work folder and returns the file's path. */
export async function writeTrainerConfig(recipe: Recipe, run: TrainerRunSpec): Promise<string> {
  const config = trainerConfig(recipe, run)
  await mkdir(run.workDir, { recursive: true })
  const path = join(run.workDir, trainerConfigFileName)
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`)
  return path
}
