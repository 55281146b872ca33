// The base model a run's trainer loads, by what its recipe declares (src-shared/training/base-model.ts):
// the parent generation's GGUF file for llama.cpp; for TRL and MLX-LM the Hugging Face id or local model
// folder the person gave, checked here (its shape, then a folder that exists and holds a config.json); for a
// custom command that, or the parent's model when nothing was given. Every refusal says what to enter.
import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import type { TrainingRunSpec } from '@shared/domain/training-run'
import { AppFailure } from '@shared/ipc/result'
import { baseModelExample, baseModelShape } from '@shared/training/base-model'
import { digestFile } from './file-digest'
import type { Recipe } from './recipe'

export interface BaseModelChoice {
  /** What the trainer is given as {model} and the config's base_model. */
  path: string
  /** The parent generation's GGUF file is `path`: its digest is recorded with the run. */
  isParentFile: boolean
}

function refuse(message: string): never {
  throw new AppFailure('invalid-payload', message)
}

/** Which base model a run of `recipe` loads; throws a sentence saying what to enter when it cannot. */
export async function chooseBaseModel(
  recipe: Recipe,
  spec: Pick<TrainingRunSpec, 'baseModel'>,
  parent: ModelGenerationRecord,
): Promise<BaseModelChoice> {
  const given = spec.baseModel?.trim() ?? ''
  switch (recipe.baseModel) {
    case 'gguf':
      if (given !== '')
        refuse(
          `${recipe.label} trains the parent generation's own GGUF file and takes no other base model: leave Base model empty.`,
        )
      if (parent.ggufPath === null)
        refuse(
          `${recipe.label} trains a GGUF file; generation ${parent.generation} (${parent.label}) has none. Choose a generation registered with its GGUF path.`,
        )
      return { path: parent.ggufPath, isParentFile: true }
    case 'hf': {
      if (given === '') {
        const madeFrom =
          parent.ollama === null
            ? `the model generation ${parent.generation} (${parent.label}) was made from`
            : `the model Ollama's ${parent.ollama.name} was made from, so the adapter can be registered on it`
        refuse(
          `${recipe.label} loads its base model in Hugging Face form, not as a GGUF file or an Ollama name: ` +
            `under Base model, enter a Hugging Face id such as ${baseModelExample} or the full path of a local ` +
            `model folder — ${madeFrom}.`,
        )
      }
      return { path: await checked(recipe, given, false), isParentFile: false }
    }
    case 'any':
      if (given === '')
        return parent.ggufPath !== null
          ? { path: parent.ggufPath, isParentFile: true }
          : { path: parent.ollama?.name ?? parent.label, isParentFile: false }
      return { path: await checked(recipe, given, true), isParentFile: false }
  }
}

/** The digest of the parent's GGUF file, when that is what the trainer loads; null otherwise. */
export async function baseModelDigest(
  choice: BaseModelChoice,
  parent: ModelGenerationRecord,
): Promise<string | null> {
  if (!choice.isParentFile) return null
  try {
    return (await digestFile(choice.path)).digest.slice('sha256:'.length)
  } catch (error) {
    throw new AppFailure(
      'not-found',
      `Generation ${parent.generation}'s model ${choice.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
        'Put the file back, or register the model where it is now as a new generation.',
    )
  }
}

/** A Hugging Face id as it is, or a local folder's absolute path (`~` expanded); a custom command may name a file. */
async function checked(recipe: Recipe, given: string, mayBeFile: boolean): Promise<string> {
  const shape = baseModelShape(given)
  if (shape.kind === 'invalid') return refuse(`Base model for ${recipe.label}: ${shape.reason}`)
  if (shape.kind === 'hf-id') return shape.value
  const expanded = /^~(?:[\\/]|$)/.test(shape.value) ? join(homedir(), shape.value.slice(2)) : shape.value
  if (!isAbsolute(expanded))
    return refuse(`Base model for ${recipe.label}: ${shape.value} is not a full path on this computer.`)
  const path = resolve(expanded)
  const what = mayBeFile
    ? 'the file or folder your command loads'
    : "the folder that holds the model's config.json and .safetensors weights"
  const info = await stat(path).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' || error.code === 'ENOTDIR'
      ? refuse(
          `Base model for ${recipe.label}: there is no ${path}. Check the path (${what}), or enter the model's Hugging Face id, such as ${baseModelExample}.`,
        )
      : refuse(`Base model for ${recipe.label}: ${path} cannot be read (${error.code ?? error.message}).`),
  )
  if (mayBeFile) return path
  if (!info.isDirectory())
    refuse(`Base model for ${recipe.label}: ${path} is a file, not a model folder. Give ${what}.`)
  const hasConfig = await stat(join(path, 'config.json')).then(
    (config) => config.isFile(),
    () => false,
  )
  if (!hasConfig)
    refuse(
      `Base model for ${recipe.label}: ${path} has no config.json, so it is not a Hugging Face or MLX model folder. Give ${what}.`,
    )
  return path
}
