// Turns a recipe and one run's paths into the argv the runner spawns. Paths and the interpreter are
// escaped before they enter the template, so a folder named `{dataset}` stays a folder name.
import { join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import { escapeTemplateText, renderArgv, type RenderedArgv } from './argv-template'
import type { Recipe } from './recipe'

export interface CommandContext {
  /** resources/trainers, where Python recipes' scripts are. */
  trainersDir: string
  /** The Python to run, as an argv prefix: `['/venv/bin/python']`, `['py', '-3']`. */
  python?: readonly string[]
  /** The executable recipe's program, when it is not on PATH (a built llama-finetune). */
  program?: string
  /** A custom recipe's command, overriding the manifest's example. */
  customArgv?: readonly string[]
  dataset: string
  output: string
  config: string
  /** The base model: a Hugging Face id, a local folder, or a GGUF path, as the recipe expects. */
  model: string
}

export function recipeCommand(recipe: Recipe, context: CommandContext): RenderedArgv {
  const values = {
    dataset: context.dataset,
    output: context.output,
    config: context.config,
    model: context.model,
  }
  const runtime = recipe.runtime
  switch (runtime.kind) {
    case 'python': {
      if (!context.python || context.python.length === 0)
        throw new AppFailure(
          'invalid-payload',
          `${recipe.label} needs a Python environment: choose one in the trainer settings.`,
        )
      const script = join(context.trainersDir, runtime.script)
      const prefix = [...context.python, script].map(escapeTemplateText)
      return renderArgv([...prefix, ...recipe.argv], values)
    }
    case 'executable':
      return renderArgv([escapeTemplateText(context.program ?? runtime.program), ...recipe.argv], values)
    case 'custom':
      return renderArgv(context.customArgv ?? recipe.argv, values)
  }
}
