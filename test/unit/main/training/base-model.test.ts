// The base model a run's trainer loads: the parent's GGUF for llama.cpp, a Hugging Face id or a local model
// folder (that exists and holds a config.json) for TRL and MLX-LM, either for a custom command; and the shape
// check the fine-tune screen shares. Each refusal must say what to enter.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import { baseModelShape } from '@shared/training/base-model'
import { baseModelDigest, chooseBaseModel } from '../../../../src-main/services/training/base-model'
import { loadRecipes, type Recipe } from '../../../../src-main/services/training/recipe'

const trainersDir = resolve(import.meta.dirname, '../../../../resources/trainers')
let scratch = ''
let recipes: Recipe[] = []
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'winnow-base-model-'))
  recipes = await loadRecipes(trainersDir)
})
afterAll(() => rm(scratch, { recursive: true, force: true }))
const recipe = (id: string): Recipe => recipes.find((r) => r.id === id)!

const parent = (extra: Partial<ModelGenerationRecord> = {}): ModelGenerationRecord => ({
  id: 'g0',
  generation: 0,
  parentId: null,
  label: 'qwen',
  engine: 'ollama',
  ggufPath: '/models/qwen-f32.gguf',
  ollama: { host: 'http://127.0.0.1:11434', name: 'qwen2.5:0.5b' },
  trainingSnapshotId: null,
  createdAt: '2026-01-01T00:00:00Z',
  ...extra,
})

describe('baseModelShape', () => {
  it('tells a Hugging Face id from a full path, and says why anything else is neither', () => {
    expect(baseModelShape(' Qwen/Qwen2.5-0.5B-Instruct ')).toEqual({
      kind: 'hf-id',
      value: 'Qwen/Qwen2.5-0.5B-Instruct',
    })
    expect(baseModelShape('mlx-community/Qwen2.5-0.5B-Instruct-4bit').kind).toBe('hf-id')
    for (const path of ['/models/qwen', '~/models/qwen', 'C:\\models\\qwen', '\\\\server\\share\\qwen'])
      expect(baseModelShape(path)).toEqual({ kind: 'path', value: path })
    const reason = (value: string) => {
      const shape = baseModelShape(value)
      return shape.kind === 'invalid' ? shape.reason : `accepted as ${shape.kind}`
    }
    expect(reason('  ')).toMatch(/empty\. Enter a Hugging Face id such as Qwen\/Qwen2\.5-0\.5B-Instruct/)
    expect(reason('qwen2.5:0.5b')).toMatch(/looks like an Ollama model name/)
    expect(reason('/models/qwen-f32.gguf')).toMatch(/is a GGUF file, which this recipe cannot load/)
    expect(reason('Qwen/Qwen2.5-0.5B-Instruct-GGUF')).toMatch(/repository of GGUF files/)
    expect(reason('./models/qwen')).toMatch(/relative path: give the folder's full path/)
    for (const bad of ['gpt2', 'a/b/c', 'owner/-name', 'owner/na--me', 'own er/name', 'a/b\nc'])
      expect(reason(bad)).not.toMatch(/^accepted/)
  })
})

describe('chooseBaseModel', () => {
  it('gives llama.cpp the parent GGUF, and refuses a parent without one or a base model it cannot use', async () => {
    const llama = recipe('llamacpp-finetune')
    expect(await chooseBaseModel(llama, { baseModel: null }, parent())).toEqual({
      path: '/models/qwen-f32.gguf',
      isParentFile: true,
    })
    await expect(chooseBaseModel(llama, {}, parent({ ggufPath: null }))).rejects.toThrow(
      /trains a GGUF file; generation 0 \(qwen\) has none/,
    )
    await expect(chooseBaseModel(llama, { baseModel: 'Qwen/Qwen2.5-0.5B' }, parent())).rejects.toThrow(
      /takes no other base model: leave Base model empty/,
    )
  })

  it("refuses a TRL or MLX run without a base model, naming what to enter and the parent's Ollama model", async () => {
    for (const id of ['trl-lora', 'mlx-lora']) {
      for (const baseModel of [undefined, null, '   '])
        await expect(chooseBaseModel(recipe(id), { baseModel }, parent())).rejects.toThrow(
          /under Base model, enter a Hugging Face id such as Qwen\/Qwen2\.5-0\.5B-Instruct or the full path of a local model folder — the model Ollama's qwen2\.5:0\.5b was made from/,
        )
    }
    await expect(
      chooseBaseModel(recipe('trl-lora'), { baseModel: 'qwen2.5:0.5b' }, parent()),
    ).rejects.toThrow(/Base model for LoRA SFT .*: qwen2\.5:0\.5b looks like an Ollama model name/)
  })

  it('passes a Hugging Face id as it is and never reads the parent GGUF for it', async () => {
    const choice = await chooseBaseModel(
      recipe('trl-lora'),
      { baseModel: ' Qwen/Qwen2.5-0.5B-Instruct ' },
      parent(),
    )
    expect(choice).toEqual({ path: 'Qwen/Qwen2.5-0.5B-Instruct', isParentFile: false })
    expect(await baseModelDigest(choice, parent())).toBeNull()
  })

  it('takes a local model folder only when it exists and holds a config.json', async () => {
    const trl = recipe('trl-lora')
    const folder = join(scratch, 'my "model" {x}')
    await mkdir(folder, { recursive: true })
    await expect(chooseBaseModel(trl, { baseModel: join(scratch, 'nope') }, parent())).rejects.toThrow(
      /there is no .*nope\. Check the path .*, or enter the model's Hugging Face id/,
    )
    await expect(chooseBaseModel(trl, { baseModel: folder }, parent())).rejects.toThrow(
      /has no config\.json, so it is not a Hugging Face or MLX model folder/,
    )
    await writeFile(join(folder, 'config.json'), '{}')
    expect(await chooseBaseModel(trl, { baseModel: `${folder}/` }, parent())).toEqual({
      path: folder,
      isParentFile: false,
    })
    await expect(chooseBaseModel(trl, { baseModel: join(folder, 'config.json') }, parent())).rejects.toThrow(
      /is a file, not a model folder/,
    )
    // ~ is the home folder, as in the user guide's paths; the trainer gets the expanded path.
    await expect(
      chooseBaseModel(trl, { baseModel: '~/winnow-no-such-model-folder' }, parent()),
    ).rejects.toThrow(new RegExp(`there is no ${join(homedir(), 'winnow-no-such-model-folder')}`))
  })

  it("lets a custom command name any file or id, and otherwise gives it the parent's model as before", async () => {
    const custom = recipe('custom')
    expect(await chooseBaseModel(custom, {}, parent())).toEqual({
      path: '/models/qwen-f32.gguf',
      isParentFile: true,
    })
    expect(await chooseBaseModel(custom, { baseModel: '' }, parent({ ggufPath: null }))).toEqual({
      path: 'qwen2.5:0.5b',
      isParentFile: false,
    })
    const file = join(scratch, 'weights.bin')
    await writeFile(file, 'x')
    expect(await chooseBaseModel(custom, { baseModel: file }, parent())).toEqual({
      path: file,
      isParentFile: false,
    })
    await expect(chooseBaseModel(custom, { baseModel: 'not an id' }, parent())).rejects.toThrow(
      /neither a Hugging Face id/,
    )
  })
})
