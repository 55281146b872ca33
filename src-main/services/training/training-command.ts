// The command of one run: the llama.cpp recipe's argv (its own hyperparameters, the binary built on first
// use, at low priority), or a Python or custom recipe's argv with the config file Winnow writes for it.
import { join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import type { TrainingRunSpec } from '@shared/domain/training-run'
import type { RenderedArgv } from './argv-template'
import {
  atNiceness,
  finetuneArgv,
  llamaFinetuneHyperparameters,
  llamaFinetuneRecipeId,
  type LlamaFinetuneHyperparameters,
} from './llamacpp-recipe'
import { hyperparametersSchema, type Hyperparameters, type Recipe } from './recipe'
import { recipeCommand } from './recipe-command'
import { trainerConfig, writeTrainerConfig } from './trainer-config'
import type { TrainingDataset } from './training-dataset'

/** The fine-tune screen's starting values for llama.cpp: the settings the round trip test trains with. */
export const llamaFinetuneDefaults: LlamaFinetuneHyperparameters = {
  epochs: 2,
  learningRate: 1e-4,
  contextSize: 128,
  threads: 2,
  valSplit: 0.05,
}

const preferenceFormats: ReadonlySet<string> = new Set(['dpo', 'openai-preference', 'kto'])

export interface CommandInput {
  recipe: Recipe
  spec: TrainingRunSpec
  runId: string
  dataset: TrainingDataset
  /** What the trainer loads (base-model.ts): the parent's GGUF file, or the Hugging Face id or folder given. */
  baseModel: string
  workDir: string
  outputDir: string
  trainersDir: string
  niceness?: number | null
  llamaFinetune: () => Promise<string>
}

export interface TrainingCommand {
  argv: RenderedArgv
  /** Every hyperparameter as the trainer receives it, defaults filled in: recorded with the generation. */
  hyperparameters: Record<string, number | null>
  /** The epochs whose steps the trainer counts from zero each time (llama-finetune); null: global steps. */
  epochsPerStep: number | null
  /** The model file the trainer writes, when the recipe names it; null: whatever lands in the output folder. */
  outputPath: string | null
}

const defined = (values: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null))

function refuse(recipe: Recipe, issue: { path: PropertyKey[]; message: string } | undefined): never {
  throw new AppFailure(
    'invalid-payload',
    `${recipe.label}: ${issue?.path.join('.') || 'hyperparameters'}: ${issue?.message ?? 'invalid'}`,
  )
}

export async function trainingCommand(input: CommandInput): Promise<TrainingCommand> {
  const { recipe, spec } = input
  if (recipe.id === llamaFinetuneRecipeId) {
    if (!input.baseModel.toLowerCase().endsWith('.gguf'))
      throw new AppFailure(
        'invalid-payload',
        `${recipe.label} trains a GGUF file; the parent generation has none. Choose a generation registered with its GGUF path.`,
      )
    const parsed = llamaFinetuneHyperparameters.safeParse({
      ...llamaFinetuneDefaults,
      ...defined(spec.hyperparameters),
    })
    if (!parsed.success) refuse(recipe, parsed.error.issues[0])
    const outputPath = join(input.outputDir, 'model.gguf')
    const program = await input.llamaFinetune()
    const argv = finetuneArgv(
      program,
      { model: input.baseModel, dataset: input.dataset.path, output: outputPath },
      parsed.data,
    )
    return {
      argv: atNiceness(argv, input.niceness),
      hyperparameters: { ...parsed.data },
      epochsPerStep: parsed.data.epochs,
      outputPath,
    }
  }
  if (recipe.runtime.kind === 'custom' && spec.customArgv === null)
    throw new AppFailure(
      'invalid-payload',
      'Type your trainer command, one argument per line, with {dataset}, {output}, {config} and {model} where they go.',
    )
  const parsed = hyperparametersSchema.partial().safeParse(defined(spec.hyperparameters))
  if (!parsed.success) refuse(recipe, parsed.error.issues[0])
  const method = preferenceFormats.has(input.dataset.format)
    ? 'dpo'
    : recipe.methods.includes('sft')
      ? 'sft'
      : 'full'
  const run = {
    runId: input.runId,
    method,
    baseModel: input.baseModel,
    dataset: {
      path: input.dataset.path,
      format: input.dataset.format,
      validationPath: input.dataset.validationPath,
    },
    outputDir: input.outputDir,
    workDir: input.workDir,
    hyperparameters: parsed.data as Partial<Hyperparameters>,
  } as const
  const hyperparameters: Record<string, number | null> = { ...trainerConfig(recipe, run).hyperparameters }
  const config = await writeTrainerConfig(recipe, run)
  const argv = recipeCommand(recipe, {
    trainersDir: input.trainersDir,
    python: spec.python === null ? undefined : [spec.python],
    customArgv: spec.customArgv ?? undefined,
    dataset: input.dataset.path,
    output: input.outputDir,
    config,
    model: input.baseModel,
  })
  return { argv, hyperparameters, epochsPerStep: null, outputPath: null }
}
