// Trainer recipes: the shipped manifests parse and render, the schema refuses what would fail at run time,
// the config writer's JSON matches its documented shape, and the Python scripts compile and keep their side
// of the contract (protocol lines Winnow parses, dataset conversion, exit codes with install hints) when a
// python3 is on this machine.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRecipes, recipeSchema, type Recipe } from '../../../../src-main/services/training/recipe'
import { recipeCommand } from '../../../../src-main/services/training/recipe-command'
import {
  baseHyperparameters,
  trainerConfig,
  trainerConfigSchema,
  writeTrainerConfig,
  type TrainerRunSpec,
} from '../../../../src-main/services/training/trainer-config'
import { parseProtocolLine } from '../../../../src-main/services/training/progress-protocol'

const trainersDir = resolve(import.meta.dirname, '../../../../resources/trainers')
let scratch = ''
let recipes: Recipe[] = []
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'winnow-recipes-'))
  recipes = await loadRecipes(trainersDir)
})
afterAll(() => rm(scratch, { recursive: true, force: true }))
const recipe = (id: string): Recipe => recipes.find((r) => r.id === id)!

// Paths a person can really have: spaces, quotes, braces that look like placeholders, non-ASCII.
const hostile = {
  dataset: `/data/my "set" {output}/train €.jsonl`,
  output: `/runs/it's {config} out`,
  config: '/runs/cfg $(x) %VAR%.json',
  model: 'Qwen/Qwen2.5-0.5B-Instruct',
}

describe('shipped manifests', () => {
  it('are the four recipes, each with install steps and requirements', () => {
    expect(recipes.map((r) => r.id)).toEqual(['custom', 'llamacpp-finetune', 'mlx-lora', 'trl-lora'])
    expect(recipe('llamacpp-finetune')).toMatchObject({ reads: ['plain-text'], produces: 'gguf' })
    expect(recipe('trl-lora')).toMatchObject({ produces: 'lora-adapter', methods: ['sft', 'dpo'] })
    // What each loads: TRL and MLX-LM a Hugging Face model the person names, llama.cpp the parent's GGUF.
    expect(Object.fromEntries(recipes.map((r) => [r.id, r.baseModel]))).toEqual({
      custom: 'any',
      'llamacpp-finetune': 'gguf',
      'mlx-lora': 'hf',
      'trl-lora': 'hf',
    })
    expect(recipe('mlx-lora').requirements).toMatchObject({
      platforms: ['darwin'],
      accelerator: 'apple-silicon',
    })
    for (const r of recipes) expect(r.install.steps.length).toBeGreaterThan(0)
  })

  it('name Python scripts that exist beside them', () => {
    for (const r of recipes)
      if (r.runtime.kind === 'python') expect(existsSync(join(trainersDir, r.runtime.script))).toBe(true)
  })

  it('render to argv with each path as exactly one argument, unexpanded', () => {
    const context = { trainersDir: '/app/trainers {x}', python: ['/venv/bin/python'], ...hostile }
    expect(recipeCommand(recipe('trl-lora'), context)).toEqual({
      file: '/venv/bin/python',
      args: ['/app/trainers {x}/trl_lora.py', '--config', hostile.config],
    })
    expect(recipeCommand(recipe('mlx-lora'), context).args).toEqual([
      '/app/trainers {x}/mlx_lora.py',
      '--config',
      hostile.config,
    ])
    expect(
      recipeCommand(recipe('llamacpp-finetune'), { ...context, program: '/cache/llama-finetune' }),
    ).toEqual({
      file: '/cache/llama-finetune',
      args: [
        '--model',
        hostile.model,
        '--file',
        hostile.dataset,
        '-o',
        `${hostile.output}/model.gguf`,
        '--ctx-size',
        '512',
        '--batch-size',
        '512',
        '--ubatch-size',
        '512',
      ],
    })
    const custom = recipeCommand(recipe('custom'), {
      ...context,
      customArgv: ['t', '--d={dataset}', '{{literal}}'],
    })
    expect(custom).toEqual({ file: 't', args: [`--d=${hostile.dataset}`, '{literal}'] })
    expect(recipeCommand(recipe('custom'), context).args).toContain(hostile.output)
  })

  it('a Python recipe without a chosen Python says what to do', () => {
    expect(() => recipeCommand(recipe('trl-lora'), { trainersDir, ...hostile })).toThrow(
      /needs a Python environment/,
    )
  })
})

describe('the manifest schema', () => {
  const valid = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(recipe('trl-lora'))) as Record<string, unknown>

  it('accepts the shipped shape and refuses unknown fields, placeholders and formats', () => {
    expect(recipeSchema.safeParse(valid()).success).toBe(true)
    expect(recipeSchema.safeParse({ ...valid(), extra: 1 }).success).toBe(false)
    expect(
      recipeSchema.safeParse({ ...valid(), argv: ['--config', '{config}', '{datset}'] }).error?.message,
    ).toMatch(/Unknown placeholder \{datset\}/)
    expect(recipeSchema.safeParse({ ...valid(), argv: ['--data', '{dataset}'] }).error?.message).toMatch(
      /must pass \{config\}/,
    )
    expect(recipeSchema.safeParse({ ...valid(), reads: ['csv'] }).success).toBe(false)
    expect(recipeSchema.safeParse({ ...valid(), produces: 'onnx' }).success).toBe(false)
    expect(recipeSchema.safeParse({ ...valid(), defaults: { learning_rate: -1 } }).success).toBe(false)
  })

  it('requires the kind of base model a recipe loads, and refuses one its trainer cannot take', () => {
    const { baseModel: _, ...undeclared } = valid()
    expect(recipeSchema.safeParse(undeclared).error?.issues[0]?.path).toEqual(['baseModel'])
    expect(recipeSchema.safeParse({ ...valid(), baseModel: 'ollama' }).success).toBe(false)
    for (const kind of ['hf', 'any'])
      expect(recipeSchema.safeParse({ ...valid(), baseModel: kind }).success).toBe(true)
    // The shipped Python scripts load with from_pretrained / mlx_lm.load: no GGUF.
    expect(recipeSchema.safeParse({ ...valid(), baseModel: 'gguf' }).error?.message).toMatch(
      /A Python recipe loads a Hugging Face model/,
    )
    const llama = JSON.parse(JSON.stringify(recipe('llamacpp-finetune'))) as Record<string, unknown>
    expect(recipeSchema.safeParse(llama).success).toBe(true)
    // A trainer given neither {model} nor {config} could never learn its base model.
    expect(
      recipeSchema.safeParse({ ...llama, argv: ['--file', '{dataset}', '-o', '{output}/m.gguf'] }).error
        ?.message,
    ).toMatch(/must pass \{model\} or \{config\}/)
  })

  it('loadRecipes names the bad file and field, and refuses a repeated id', async () => {
    const dir = join(scratch, 'bad-recipes')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'a.json'), JSON.stringify(valid()))
    await writeFile(join(dir, 'b.json'), JSON.stringify({ ...valid(), label: '' }))
    await expect(loadRecipes(dir)).rejects.toThrow(/b\.json: label:/)
    await writeFile(join(dir, 'b.json'), JSON.stringify(valid()))
    await expect(loadRecipes(dir)).rejects.toThrow(/b\.json repeats the id trl-lora/)
    await writeFile(join(dir, 'b.json'), JSON.stringify({ ...valid(), id: 'b', baseModel: 'safetensors' }))
    await expect(loadRecipes(dir)).rejects.toThrow(/b\.json: baseModel: /)
    await writeFile(join(dir, 'b.json'), '{ nope')
    await expect(loadRecipes(dir)).rejects.toThrow(/b\.json is not valid JSON/)
  })
})

describe('the trainer config', () => {
  const run = (extra: Partial<TrainerRunSpec> = {}): TrainerRunSpec => ({
    runId: 'run-1',
    method: 'sft',
    baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
    dataset: { path: '/d/train.jsonl', format: 'sft-messages' },
    outputDir: '/runs/1/out',
    workDir: join(scratch, 'run 1'),
    ...extra,
  })

  it('layers Winnow defaults, recipe defaults and the run, in that order', () => {
    const config = trainerConfig(recipe('mlx-lora'), run({ hyperparameters: { lora_rank: 4 } }))
    expect(config).toEqual({
      schema: 'winnow.trainer-config/1',
      run_id: 'run-1',
      recipe: 'mlx-lora',
      method: 'sft',
      base_model: 'Qwen/Qwen2.5-0.5B-Instruct',
      dataset: { path: '/d/train.jsonl', format: 'sft-messages', validation_path: null },
      output_dir: '/runs/1/out',
      hyperparameters: { ...baseHyperparameters, ...recipe('mlx-lora').defaults, lora_rank: 4 },
    })
    expect(config.hyperparameters.learning_rate).toBe(1e-5)
  })

  it('refuses a format or method the recipe does not take, and out-of-range values', () => {
    expect(() => trainerConfig(recipe('mlx-lora'), run({ dataset: { path: '/d', format: 'dpo' } }))).toThrow(
      /reads sft-messages, .* not dpo/,
    )
    expect(() => trainerConfig(recipe('mlx-lora'), run({ method: 'dpo' }))).toThrow(/does not do dpo/)
    expect(() => trainerConfig(recipe('trl-lora'), run({ method: 'dpo' }))).toThrow(
      /export the dataset as DPO, not sft-messages/,
    )
    expect(() => trainerConfig(recipe('trl-lora'), run({ dataset: { path: '/d', format: 'dpo' } }))).toThrow(
      /SFT trains on accepted texts, not dpo preference rows/,
    )
    expect(
      trainerConfig(recipe('trl-lora'), run({ method: 'dpo', dataset: { path: '/d', format: 'dpo' } }))
        .method,
    ).toBe('dpo')
    expect(() => trainerConfig(recipe('trl-lora'), run({ hyperparameters: { batch_size: 0 } }))).toThrow(
      /hyperparameters\.batch_size/,
    )
  })

  it('is written atomically as JSON that parses back to the same config', async () => {
    const spec = run()
    const path = await writeTrainerConfig(recipe('trl-lora'), spec)
    expect(path).toBe(join(spec.workDir, 'trainer-config.json'))
    const parsed = trainerConfigSchema.parse(JSON.parse(await readFile(path, 'utf8')))
    expect(parsed).toEqual(trainerConfig(recipe('trl-lora'), spec))
    expect(await readdir(spec.workDir)).toEqual(['trainer-config.json'])
  })
})

// python3 may be absent (a bare CI image): the Python checks are then skipped, saying why.
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' })
const hasPython = python.status === 0
const pyEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
const runPython = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync('python3', args, { encoding: 'utf8', env: { ...pyEnv, ...extraEnv }, cwd: trainersDir })

describe.skipIf(!hasPython)(
  `Python scripts (${hasPython ? python.stdout.trim() : 'skipped: no python3 on PATH'})`,
  () => {
    it('compile', async () => {
      const scripts = (await readdir(trainersDir)).filter((n) => n.endsWith('.py'))
      expect(scripts.sort()).toEqual(['mlx_lora.py', 'trl_lora.py', 'winnow_trainer.py'])
      const result = runPython(['-m', 'py_compile', ...scripts], {
        PYTHONPYCACHEPREFIX: join(scratch, 'pycache'),
      })
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
    })

    it("emit protocol lines that Winnow's reader parses, with an ETA from the time per step", () => {
      const code = [
        'import winnow_trainer as w',
        // 10 s per step: after step n of 4, (4 − n) × 10 s remain.
        'ticks = iter([0.0, 10.0, 20.0, 30.0])',
        'p = w.Progress(4, clock=lambda: next(ticks))',
        "p.emit(1, 2.5, 1e-4); p.emit(2, float('nan'), 1e-4); p.emit(3, 0.5, None, phase='eval')",
      ].join('\n')
      const result = runPython(['-c', code])
      expect(result.status, result.stderr).toBe(0)
      const lines = result.stdout.trim().split('\n').map(parseProtocolLine)
      expect(lines).toEqual([
        { step: 1, total: 4, loss: 2.5, lr: 1e-4, etaSeconds: 30, phase: 'train', source: 'protocol' },
        { step: 2, total: 4, loss: null, lr: 1e-4, etaSeconds: 20, phase: 'train', source: 'protocol' },
        { step: 3, total: 4, loss: 0.5, lr: null, etaSeconds: 10, phase: 'eval', source: 'protocol' },
      ])
    })

    it('convert every SFT export format to the chat shape TRL and MLX-LM read', () => {
      const rows = {
        alpaca: { instruction: 'Q', input: 'ctx', output: 'A', system: 'S' },
        sharegpt: {
          conversations: [
            { from: 'human', value: 'Q' },
            { from: 'gpt', value: 'A' },
          ],
        },
        'sft-prompt-completion': { prompt: 'Q', completion: 'A' },
      }
      const code = `import json, sys, winnow_trainer as w\nrows = json.loads(sys.argv[1])\nprint(json.dumps({k: w.as_messages(v, k) for k, v in rows.items()}))`
      const result = runPython(['-c', code, JSON.stringify(rows)])
      expect(result.status, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        alpaca: {
          messages: [
            { role: 'system', content: 'S' },
            { role: 'user', content: 'Q\nctx' },
            { role: 'assistant', content: 'A' },
          ],
        },
        sharegpt: {
          messages: [
            { role: 'user', content: 'Q' },
            { role: 'assistant', content: 'A' },
          ],
        },
        'sft-prompt-completion': { prompt: 'Q', completion: 'A' },
      })
    })

    it('refuse a config Winnow did not write (exit 2) and name missing packages with the pip line (exit 3)', async () => {
      const bad = join(scratch, 'not-a-config.json')
      await writeFile(bad, '{"schema": "something-else"}')
      const refused = runPython(['trl_lora.py', '--config', bad])
      expect(refused.status).toBe(2)
      expect(refused.stderr).toMatch(/is not a winnow\.trainer-config\/1 file/)

      const datasetPath = join(scratch, 'train.jsonl')
      await writeFile(
        datasetPath,
        '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n',
      )
      const configPath = await writeTrainerConfig(recipe('trl-lora'), {
        runId: 'r',
        method: 'sft',
        baseModel: 'm',
        dataset: { path: datasetPath, format: 'sft-messages' },
        outputDir: join(scratch, 'out'),
        workDir: join(scratch, 'py-run'),
      })
      const hasTrl = runPython(['-c', 'import torch, transformers, datasets, peft, trl']).status === 0
      if (hasTrl) return // A machine with the real stack would start training here; that is not a unit test.
      const missing = runPython(['trl_lora.py', '--config', configPath])
      expect(missing.status).toBe(3)
      expect(missing.stderr).toMatch(
        /missing Python packages: .*\ninstall with: .* -m pip install .*"trl>=0\.23"/,
      )
      expect(missing.stdout).toBe('')
      expect(existsSync(join(trainersDir, '__pycache__'))).toBe(false)
    })
  },
)
