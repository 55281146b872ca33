// The fine-tune screen's pure parts and state: the lineage tree (runs and snapshots joined to generations,
// orphans as roots), a snapshot's mix in words, the loss chart on the monitor's layout, and the form's spec
// and what blocks a start, in words.
import { describe, expect, it } from 'vitest'
import type { Api } from '@shared/ipc/contract'
import type { LossPoint } from '@shared/domain/training-run'
import { lineageTree, mixSummary } from '../../../src-renderer/features/training/lineage'
import { lossChart } from '../../../src-renderer/features/training/loss-chart'
import { TrainingState, type TrainingOverview } from '../../../src-renderer/state/training.svelte'

type Generation = TrainingOverview['generations'][number]
type Snapshot = TrainingOverview['snapshots'][number]

const generation = (
  id: string,
  number: number,
  parentId: string | null,
  snapshot: string | null = null,
): Generation => ({
  id,
  generation: number,
  parentId,
  label: id,
  engine: 'llamacpp',
  ggufPath: `/m/${id}.gguf`,
  ollama: null,
  trainingSnapshotId: snapshot,
  createdAt: `2026-01-0${number + 1}T00:00:00Z`,
})

const snapshot: Snapshot = {
  id: 's1',
  projectId: 'p',
  name: 'stories v1',
  formats: ['sft-messages'],
  logSeq: 1,
  counts: {
    rows: {},
    bySplit: {},
    byOrigin: { model: 80, human: 120 },
    byDepth: { '1': 80, '0': 120 },
    byGeneration: { '0': 80 },
  },
  createdAt: '2026-01-01T00:00:00Z',
  appVersion: 't',
  schemaVersion: 1,
  folder: '/x',
  files: [],
  contentHash: 'a'.repeat(64),
  trainRows: 190,
  testRows: 10,
}

const run = (runId: string, generationId: string | null) =>
  ({
    started: { runId, spec: { snapshotId: 's1' } },
    points: [],
    finished: { status: 'done', generationId },
  }) as unknown as TrainingOverview['runs'][number]

const overview = (generations: Generation[], runs: TrainingOverview['runs'] = []): TrainingOverview => ({
  runs,
  live: [],
  generations,
  snapshots: [snapshot],
  probes: [{ generationId: 'g1', perplexity: 22.5, probedAt: '2026-01-03T00:00:00Z' }],
})

describe('lineageTree', () => {
  it('hangs each generation under its parent with its run and dataset; an unknown parent makes a root', () => {
    const tree = lineageTree(
      overview(
        [
          generation('g0', 0, null),
          generation('g1', 1, 'g0', 's1'),
          generation('g1b', 1, 'g0', 'gone'),
          generation('g2', 2, 'g1', 's1'),
          generation('stray', 3, 'missing'),
        ],
        [run('r1', 'g1'), run('r2', 'g2'), run('failed', null)],
      ),
    )
    expect(tree.map((n) => n.generation.id)).toEqual(['g0', 'stray'])
    const [g0] = tree
    expect(g0!.children.map((n) => n.generation.id)).toEqual(['g1', 'g1b'])
    const g1 = g0!.children[0]!
    expect(g1.run?.started.runId).toBe('r1')
    expect(g1.snapshot?.name).toBe('stories v1')
    expect(g1.probe?.perplexity).toBe(22.5)
    expect(g0!.probe).toBeNull()
    expect(g0!.children[1]!.snapshot).toBeNull()
    expect(g1.children[0]).toMatchObject({ depth: 2, run: { started: { runId: 'r2' } } })
  })

  it('says a snapshot mix in one line', () => {
    expect(mixSummary(snapshot)).toBe(
      '190 train / 10 test · 120 human · 80 model · synthetic depth 0: 120, 1: 80 · by model generation 0: 80',
    )
  })
})

describe('lossChart', () => {
  const point = (step: number, loss: number | null, phase: LossPoint['phase'] = 'train'): LossPoint => ({
    step,
    total: 10,
    loss,
    lr: null,
    phase,
    seconds: step,
  })

  it('draws training loss as a line and validation as dots on one scale, skipping missing losses', () => {
    const chart = lossChart([point(1, 3), point(2, null), point(3, 2), point(3, 2.5, 'eval'), point(5, 1)])
    expect(chart.train!.dots.map((d) => d.generation)).toEqual([1, 3, 5])
    expect(chart.train!.line.match(/[ML]/g)).toHaveLength(3)
    expect(chart.eval!.dots).toHaveLength(1)
    // Lower loss is drawn higher up the page: y grows downwards.
    const [first, , last] = chart.train!.dots
    expect(first!.y).toBeLessThan(last!.y)
    expect(chart).toMatchObject({ firstStep: 1, lastStep: 5, lastLoss: 1 })
    expect(lossChart([]).train).toBeNull()
  })
})

describe('TrainingState', () => {
  const api = (answer: TrainingOverview) =>
    ({
      'training.overview': async () => answer,
      'training.recipes': async () => [
        {
          recipe: {
            id: 'custom',
            label: 'Custom command',
            description: 'd',
            reads: ['plain-text'],
            produces: 'lora-adapter',
            baseModel: 'any',
            runtime: { kind: 'custom' },
            install: { summary: 's', steps: ['x'] },
          },
          readiness: { isReady: true, note: 'Type your command' },
          defaults: { epochs: 1, learning_rate: 0.0002 },
        },
        ...['trl-lora', 'mlx-lora'].map((id) => ({
          recipe: {
            id,
            label: id === 'trl-lora' ? 'TRL LoRA' : 'MLX LoRA',
            description: 'd',
            reads: ['sft-messages'],
            produces: 'lora-adapter',
            baseModel: 'hf',
            runtime: { kind: 'python' },
            install: { summary: 's', steps: ['x'] },
          },
          readiness: { isReady: true, note: 'Needs a Python' },
          defaults: { epochs: 1 },
        })),
        {
          recipe: {
            id: 'llamacpp-finetune',
            label: 'llama.cpp',
            description: 'd',
            reads: ['plain-text'],
            produces: 'gguf',
            baseModel: 'gguf',
            runtime: { kind: 'executable' },
            install: { summary: 's', steps: ['x'] },
          },
          readiness: { isReady: true, note: 'built' },
          defaults: { epochs: 2 },
        },
      ],
    }) as unknown as Api

  it('reads the overview again when a run it does not know sends its first live view, once per run', async () => {
    let reads = 0
    const listeners: ((live: unknown) => void)[] = []
    const counting = {
      ...api(overview([generation('g0', 0, null)])),
      'training.overview': async () => {
        reads++
        return overview([generation('g0', 0, null)])
      },
    } as unknown as Api
    const state = new TrainingState('p', {
      api: counting,
      onEvent: ((name: string, listener: (live: unknown) => void) => {
        if (name === 'training.live') listeners.push(listener)
        return () => undefined
      }) as never,
    })
    await state.open()
    expect(reads).toBe(1)
    const live = {
      projectId: 'p',
      runId: 'r9',
      jobId: 'j',
      step: 1,
      total: 2,
      loss: 1,
      lr: null,
      etaSeconds: null,
      points: [],
      tail: ['x'],
    }
    listeners.forEach((l) => l(live))
    listeners.forEach((l) => l({ ...live, step: 2 }))
    listeners.forEach((l) => l({ ...live, projectId: 'other', runId: 'r10' }))
    await new Promise((r) => setTimeout(r, 0))
    expect(reads).toBe(2)
    expect(state.live('r9')?.step).toBe(2)
    expect(state.live('r10')).toBeNull()
  })

  it('says what blocks a start, then builds the spec from the form', async () => {
    const empty = new TrainingState('p', {
      api: api({ ...overview([]), snapshots: [] }),
      onEvent: () => () => undefined,
    })
    await empty.open()
    expect(empty.blocker).toMatch(/Export a dataset first/)

    const state = new TrainingState('p', {
      api: api(overview([generation('g0', 0, null)])),
      onEvent: () => () => undefined,
    })
    await state.open()
    state.chooseRecipe('custom')
    expect(state.form).toMatchObject({ snapshotId: 's1', parentGenerationId: 'g0' })
    expect(state.blocker).toMatch(/Type your trainer command/)
    state.form.customArgv = 'node\ntrainer.mjs\n\n--data\n{dataset}\n'
    state.form.hyperparameters.epochs = 'three'
    expect(state.blocker).toBe('epochs must be a number.')
    state.form.hyperparameters.epochs = '3'
    state.form.hyperparameters.learning_rate = ''
    expect(state.blocker).toBeNull()
    expect(state.spec()).toEqual({
      snapshotId: 's1',
      recipeId: 'custom',
      parentGenerationId: 'g0',
      hyperparameters: { epochs: 3, learning_rate: null },
      customArgv: ['node', 'trainer.mjs', '--data', '{dataset}'],
      python: null,
      baseModel: null,
      ollamaHost: null,
      label: null,
    })
    // A custom command may name its own base model; a malformed one is caught before main sees it.
    state.form.baseModel = 'qwen2.5:0.5b'
    expect(state.blocker).toMatch(/looks like an Ollama model name/)
    state.form.baseModel = 'Qwen/Qwen2.5-0.5B-Instruct'
    expect(state.spec().baseModel).toBe('Qwen/Qwen2.5-0.5B-Instruct')
  })

  it('asks a TRL or MLX run for its base model, remembers it per recipe, and shows main refusing one', async () => {
    const stored = new Map<string, string>()
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    }
    const started: unknown[] = []
    let refusal: string | null = null
    const starting = {
      ...api(overview([generation('g0', 0, null)])),
      'training.start': async (request: { spec: unknown }) => {
        if (refusal !== null) throw new Error(refusal)
        started.push(request.spec)
        return { jobId: 'j1' }
      },
    } as unknown as Api
    const state = new TrainingState('p', { api: starting, onEvent: () => () => undefined, storage })
    await state.open()
    expect(state.baseModelKind).toBe('gguf')
    state.chooseRecipe('trl-lora')
    expect(state.baseModelKind).toBe('hf')
    state.form.python = '/venv/bin/python'
    expect(state.blocker).toMatch(
      /^Enter the base model: a Hugging Face id such as Qwen\/Qwen2\.5-0\.5B-Instruct, or the full path/,
    )
    state.form.baseModel = '/models/qwen.gguf'
    expect(state.blocker).toMatch(/is a GGUF file/)
    state.form.baseModel = ' /models/Qwen2.5-0.5B-Instruct '
    expect(state.blocker).toBeNull()
    expect(state.spec()).toMatchObject({
      recipeId: 'trl-lora',
      python: '/venv/bin/python',
      baseModel: '/models/Qwen2.5-0.5B-Instruct',
    })

    // Main's refusal is shown by the form, and nothing is remembered from a run that did not start.
    refusal = 'Base model for TRL LoRA: there is no /models/Qwen2.5-0.5B-Instruct.'
    await state.start()
    expect(state.startError).toBe(refusal)
    expect(state.error).toBeNull()
    expect(stored.size).toBe(0)
    refusal = null
    await state.start()
    expect(state.startError).toBeNull()
    expect(started).toHaveLength(1)

    // Each recipe keeps its own base model; llama.cpp asks for none and sends none.
    state.chooseRecipe('mlx-lora')
    expect(state.form.baseModel).toBe('')
    expect(state.form.python).toBe('/venv/bin/python')
    state.chooseRecipe('llamacpp-finetune')
    state.form.baseModel = 'left over'
    expect(state.spec().baseModel).toBeNull()
    const next = new TrainingState('p', { api: starting, onEvent: () => () => undefined, storage })
    await next.open()
    next.chooseRecipe('trl-lora')
    expect(next.form).toMatchObject({
      baseModel: '/models/Qwen2.5-0.5B-Instruct',
      python: '/venv/bin/python',
    })
  })
})
