// Trainer recipes: one JSON manifest per recipe in resources/trainers/, validated here. A manifest says what
// the trainer reads (export formats, or plain text), what it produces, what it needs, how a person installs
// it, and its argv template (arguments only, never a shell string; see argv-template.ts).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { formatIds } from '@shared/export/formats'
import { AppFailure } from '@shared/ipc/result'
import { baseModelKinds } from '@shared/training/base-model'
import { placeholderNames, renderArgv } from './argv-template'

/** What a trainer can read: an export format, or the plain text file llama-finetune trains on. */
export const datasetKinds = [...formatIds, 'plain-text'] as const
export const trainingMethods = ['sft', 'dpo', 'full'] as const

export const hyperparametersSchema = z.strictObject({
  epochs: z.number().positive().max(1000),
  /** Overrides epochs when set: some trainers (MLX-LM) count iterations, not epochs. */
  max_steps: z.number().int().positive().nullable(),
  learning_rate: z.number().positive().max(1),
  batch_size: z.number().int().positive().max(4096),
  gradient_accumulation: z.number().int().positive().max(4096),
  lora_rank: z.number().int().positive().max(1024),
  lora_alpha: z.number().positive().max(4096),
  lora_dropout: z.number().min(0).max(1),
  max_seq_length: z
    .number()
    .int()
    .positive()
    .max(1 << 20),
  seed: z.number().int().nonnegative(),
  /** DPO's KL strength; ignored by SFT. */
  beta: z.number().positive().max(100),
})
export type Hyperparameters = z.infer<typeof hyperparametersSchema>

const runtimeSchema = z.discriminatedUnion('kind', [
  // A script shipped next to the manifest, run by a Python the user chose; `modules` are checked on start.
  z.strictObject({
    kind: z.literal('python'),
    script: z.string().regex(/^[A-Za-z0-9_]+\.py$/),
    modules: z.array(z.string().min(1)).min(1),
  }),
  z.strictObject({ kind: z.literal('executable'), program: z.string().min(1) }),
  // The person's own command: argv is the whole command, program first.
  z.strictObject({ kind: z.literal('custom') }),
])

export const recipeSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    label: z.string().min(1),
    description: z.string().min(1),
    reads: z.array(z.enum(datasetKinds)).min(1),
    produces: z.enum(['gguf', 'lora-adapter']),
    methods: z.array(z.enum(trainingMethods)).min(1),
    /** What base model the trainer loads (see base-model.ts in src-shared/training): it decides what the
     *  screen asks for and what {model} and the config's base_model hold. */
    baseModel: z.enum(baseModelKinds),
    runtime: runtimeSchema,
    requirements: z.strictObject({
      platforms: z.array(z.enum(['linux', 'darwin', 'win32'])).min(1),
      accelerator: z.enum(['cpu', 'nvidia-cuda', 'apple-silicon', 'any']),
      python: z.string().optional(),
      packages: z.array(z.string().min(1)),
      notes: z.string().optional(),
    }),
    install: z.strictObject({ summary: z.string().min(1), steps: z.array(z.string().min(1)).min(1) }),
    argv: z.array(z.string()),
    defaults: hyperparametersSchema.partial(),
  })
  .superRefine((recipe, ctx) => {
    const dummy = Object.fromEntries(placeholderNames.map((name) => [name, `<${name}>`]))
    try {
      renderArgv(recipe.runtime.kind === 'custom' ? recipe.argv : ['program', ...recipe.argv], dummy)
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['argv'], message: (error as Error).message })
    }
    // A Python script learns everything from the config file; without {config} it could not run.
    if (recipe.runtime.kind === 'python' && !recipe.argv.some((a) => a.includes('{config}')))
      ctx.addIssue({ code: 'custom', path: ['argv'], message: 'A Python recipe must pass {config}.' })
    // The base model reaches the trainer as {model} or as the config file's base_model, or not at all.
    if (!recipe.argv.some((a) => a.includes('{model}') || a.includes('{config}')))
      ctx.addIssue({
        code: 'custom',
        path: ['argv'],
        message: 'The argv must pass {model} or {config}, or the trainer never learns its base model.',
      })
    // The shipped Python scripts load with from_pretrained / mlx_lm.load, which take no GGUF file.
    if (recipe.runtime.kind === 'python' && recipe.baseModel === 'gguf')
      ctx.addIssue({
        code: 'custom',
        path: ['baseModel'],
        message: 'A Python recipe loads a Hugging Face model ("hf"), not the parent\'s GGUF file.',
      })
  })
export type Recipe = z.infer<typeof recipeSchema>

/** Every `*.json` manifest in `dir`, sorted by id; throws naming the file and field of the first bad one. */
export async function loadRecipes(dir: string): Promise<Recipe[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()
  const recipes: Recipe[] = []
  for (const name of names) {
    let value: unknown
    try {
      value = JSON.parse(await readFile(join(dir, name), 'utf8'))
    } catch (error) {
      throw new AppFailure(
        'invalid-payload',
        `Trainer recipe ${name} is not valid JSON: ${(error as Error).message}`,
      )
    }
    const parsed = recipeSchema.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new AppFailure(
        'invalid-payload',
        `Trainer recipe ${name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      )
    }
    if (recipes.some((r) => r.id === parsed.data.id))
      throw new AppFailure('invalid-payload', `Trainer recipe ${name} repeats the id ${parsed.data.id}.`)
    recipes.push(parsed.data)
  }
  return recipes.sort((a, b) => a.id.localeCompare(b.id))
}
