// The `training.run` job end to end through the real services and log, with a trainer double as a custom
// recipe's command (a real child process): progress reports and a sparse loss curve, the run's end with its
// output's digest, generation N+1 registered with its lineage, cancel, a failing trainer, a dataset edited
// after its export, and a run left "started" by a dead process marked interrupted at the next start-up.
import { createHash } from 'node:crypto'
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import type { JobSnapshot } from '@shared/jobs/job'
import type { LiveRun, TrainingRunSpec } from '@shared/domain/training-run'
import type { SnapshotDraft } from '@shared/domain/dataset-snapshot'
import { openTestServices, jobSettled } from '../fakes/test-services'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { cleanup, tempDir } from '../e2e/harness'

const fakeTrainer = resolve(import.meta.dirname, '../fakes/fake-trainer.mjs')
const trainersDir = resolve(import.meta.dirname, '../../resources/trainers')
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

let work: string
let services: AppServices
let projectId: string

beforeEach(async () => {
  work = await tempDir('training-job')
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'training' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

const rows = ['Once upon a time, a cat sat.', 'Tom saw a big red ball.', 'Lily liked to play.'].map(
  (completion, i) => `${JSON.stringify({ prompt: `Prompt ${i}`, completion })}\n`,
)

const draft: SnapshotDraft = {
  name: 'stories v1',
  formats: ['sft-prompt-completion'],
  spec: {},
  formatOptions: {},
  logSeq: 1,
  splits: { train: ['s1', 's2', 's3'], test: [] },
  counts: {
    rows: { 'sft-prompt-completion': 3 },
    bySplit: { train: 3 },
    byOrigin: { model: 3 },
    byDepth: { '1': 3 },
    byGeneration: { '0': 3 },
  },
  warnings: [],
}

async function exportSnapshot(): Promise<{ id: string; folder: string }> {
  const h = services.handlers
  const out = join(work, 'exports')
  await mkdir(out, { recursive: true })
  const { exportId, folder } = await h['export.open']({ projectId, folder: out, name: 'stories v1' })
  await h['export.write']({ exportId, file: 'sft-prompt-completion/train.jsonl', text: rows.join('') })
  const { snapshot } = await h['export.finish']({ exportId, snapshot: draft, extraFiles: {} })
  return { id: snapshot.id, folder }
}

async function registerBase(): Promise<string> {
  const base = join(work, 'base.gguf')
  await writeFile(base, 'GGUF the base model\n')
  const generation = await services.handlers['monitor.register']({
    projectId,
    generation: {
      label: 'tiny',
      parentId: null,
      engine: 'llamacpp',
      ggufPath: base,
      ollama: null,
      trainingSnapshotId: null,
    },
  })
  return generation.id
}

function spec(snapshotId: string, parentGenerationId: string, extra: string[] = []): TrainingRunSpec {
  return {
    snapshotId,
    recipeId: 'custom',
    parentGenerationId,
    hyperparameters: { epochs: 3, learning_rate: 0.001 },
    customArgv: [
      process.execPath,
      fakeTrainer,
      '--data',
      '{dataset}',
      '--output',
      '{output}',
      '--config',
      '{config}',
      ...extra,
    ],
    python: null,
    ollamaHost: null,
    label: null,
  }
}

/**
 * A stand-in for a recipe's Python: an executable started without a shell (the runner execs it; the kernel
 * reads its #! line), given `<script> --config <file>` as the shipped recipes are. It prints the base model
 * the config names and writes a PEFT-shaped adapter. POSIX only: Windows runs no #! files.
 */
async function fakePython(): Promise<string> {
  const path = join(work, 'fake python', 'python')
  await mkdir(join(work, 'fake python'), { recursive: true })
  const code = [
    `#!${process.execPath}`,
    "const { mkdirSync, readFileSync, writeFileSync } = require('node:fs')",
    "const { join } = require('node:path')",
    'const [script, , configPath] = process.argv.slice(2)',
    "const config = JSON.parse(readFileSync(configPath, 'utf8'))",
    'console.log(`fake-python: ${script} loads ${config.base_model}`)',
    'console.log(JSON.stringify({ step: 1, total: 1, loss: 1.5 }))',
    'mkdirSync(config.output_dir, { recursive: true })',
    "writeFileSync(join(config.output_dir, 'adapter_config.json'), JSON.stringify({ base_model_name_or_path: config.base_model }))",
    "writeFileSync(join(config.output_dir, 'adapter_model.safetensors'), 'weights')",
  ]
  await writeFile(path, `${code.join('\n')}\n`)
  await chmod(path, 0o755)
  return path
}

function watchJob(jobId: string): JobSnapshot[] {
  const seen: JobSnapshot[] = []
  services.events.subscribe((name, payload) => {
    if (name === 'jobs.changed' && (payload as JobSnapshot).id === jobId) seen.push(payload as JobSnapshot)
  })
  return seen
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 25))
  }
}

const overview = () => services.handlers['training.overview']({ projectId })

describe('training.run job', () => {
  it('trains on the frozen snapshot, streams progress, records the run and registers generation 1', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const live: LiveRun[] = []
    services.events.subscribe((name, payload) => {
      if (name === 'training.live') live.push(payload as LiveRun)
    })
    const { jobId } = await services.handlers['training.start']({
      projectId,
      spec: spec(snapshot.id, parentId, ['--steps', '60', '--delay-ms', '10']),
    })
    const reports = watchJob(jobId)
    const job = await jobSettled(services, jobId)
    expect(job.error).toBeNull()
    expect(job.status).toBe('done')

    // Progress went through the job: steps out of the total, with the loss and the trainer's ETA.
    const progress = reports.flatMap((r) => (r.progress?.unit === 'steps' ? [r.progress] : []))
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((p) => p.total === 60 && p.counts.loss !== undefined)).toBe(true)
    expect(live.at(-1)?.tail.join('\n')).toMatch(/fake-trainer: wrote model.gguf/)

    const { runs, generations } = await overview()
    expect(runs).toHaveLength(1)
    const [run] = runs
    // The trainer read the snapshot's own file, whose digest the export recorded.
    expect(run!.started.dataset).toMatchObject({
      format: 'sft-prompt-completion',
      rows: 3,
      sha256: sha256(rows.join('')),
    })
    const config = JSON.parse(await readFile(join(run!.started.workDir, 'trainer-config.json'), 'utf8')) as {
      hyperparameters: { epochs: number; learning_rate: number }
    }
    expect(config.hyperparameters).toMatchObject({ epochs: 3, learning_rate: 0.001 })
    // The curve in the log is sparse, in step order, and falls.
    const losses = run!.points.map((p) => p.loss!)
    console.log(
      `loss points recorded: ${run!.points.length} of 60 steps, ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}`,
    )
    expect(run!.points.length).toBeGreaterThan(1)
    expect(run!.points.map((p) => p.step)).toEqual([...run!.points.map((p) => p.step)].sort((a, b) => a - b))
    expect(losses.at(-1)!).toBeLessThan(losses[0]!)

    const output = await readFile(join(run!.started.workDir, 'output', 'model.gguf'))
    expect(run!.finished).toMatchObject({
      status: 'done',
      error: null,
      outputs: [{ name: 'model.gguf', sha256: sha256(output), bytes: output.length }],
    })
    // Generation 1: its parent, the snapshot, the run, the recipe and its hyperparameters, the digests.
    expect(generations.map((g) => g.generation)).toEqual([0, 1])
    const trained = generations[1]!
    expect(run!.finished!.generationId).toBe(trained.id)
    expect(trained).toMatchObject({
      parentId,
      label: 'tiny · g1',
      engine: 'llamacpp',
      ggufPath: join(run!.started.workDir, 'output', 'model.gguf'),
      trainingSnapshotId: snapshot.id,
      training: {
        runId: run!.started.runId,
        recipeId: 'custom',
        baseModel: { sha256: sha256('GGUF the base model\n') },
        outputs: [{ sha256: sha256(output) }],
      },
    })
    expect(trained.training!.hyperparameters).toMatchObject({ epochs: 3, learning_rate: 0.001 })

    // The order of facts in the log: start, curve, generation, end.
    const { events } = await services.handlers['log.read']({
      projectId,
      afterSeq: 0,
      maxEvents: 10_000,
      maxBytes: 1 << 22,
    })
    const kinds = events
      .map((e) => e.kind)
      .filter((k) => k.startsWith('training.') || k === 'monitor.generationRegistered')
    expect(kinds[0]).toBe('monitor.generationRegistered')
    expect(kinds[1]).toBe('training.runStarted')
    expect(kinds.slice(-2)).toEqual(['monitor.generationRegistered', 'training.runFinished'])
    expect(kinds.filter((k) => k === 'training.runProgress').length).toBeGreaterThan(0)

    // A new process reads the same lineage back from the log.
    await services.close()
    services = await openTestServices(join(work, 'data'))
    const again = await overview()
    expect(again.runs).toEqual(runs)
    expect(again.generations).toEqual(generations)
  })

  it('registers the result in Ollama too when asked, and still in the embedded engine when Ollama is down', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const ollama = await new FakeOllamaServer().start()
    try {
      const { jobId } = await services.handlers['training.start']({
        projectId,
        spec: { ...spec(snapshot.id, parentId, ['--steps', '3']), ollamaHost: ollama.url },
      })
      expect((await jobSettled(services, jobId)).status).toBe('done')
      const { runs, generations } = await overview()
      const output = await readFile(join(runs[0]!.started.workDir, 'output', 'model.gguf'))
      // The server checked the upload's digest; the create names the blob the job hashed.
      expect(ollama.blobUploads).toEqual([
        expect.objectContaining({ digest: sha256(output), accepted: true }),
      ])
      expect(ollama.createRequests).toEqual([
        expect.objectContaining({
          model: 'tiny-winnow-g1',
          files: { 'model.gguf': `sha256:${sha256(output)}` },
        }),
      ])
      expect(generations[1]).toMatchObject({
        engine: 'ollama',
        ollama: { host: ollama.url, name: 'tiny-winnow-g1' },
        ggufPath: join(runs[0]!.started.workDir, 'output', 'model.gguf'),
      })
      expect(runs[0]!.finished).toMatchObject({ status: 'done', ollamaModel: 'tiny-winnow-g1', error: null })

      await ollama.stop()
      const again = await services.handlers['training.start']({
        projectId,
        spec: { ...spec(snapshot.id, generations[1]!.id, ['--steps', '3']), ollamaHost: ollama.url },
      })
      expect((await jobSettled(services, again.jobId)).status).toBe('done')
      const after = await overview()
      expect(after.generations[2]).toMatchObject({ generation: 2, engine: 'llamacpp', ollama: null })
      expect(after.runs[0]!.finished!.error).toMatch(/Not registered in Ollama: Could not reach Ollama/)
    } finally {
      await ollama.stop()
    }
  })

  it('cancels a run: the trainer is gone, the run ends cancelled and nothing is registered', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const { jobId } = await services.handlers['training.start']({
      projectId,
      spec: spec(snapshot.id, parentId, ['--hang']),
    })
    await until(async () => (await overview()).live.find((l) => l.step === 1))
    const cancelledAt = Date.now()
    expect((await services.handlers['jobs.cancel']({ jobId })).cancelled).toBe(true)
    const job = await jobSettled(services, jobId)
    console.log(`cancelled in ${Date.now() - cancelledAt} ms`)
    expect(Date.now() - cancelledAt).toBeLessThan(5_000)
    expect(job.status).toBe('cancelled')
    const { runs, generations } = await overview()
    expect(runs[0]!.finished).toMatchObject({ status: 'cancelled', outputs: [], generationId: null })
    expect(generations).toHaveLength(1)
  })

  it('records a failing trainer with its message, and refuses a dataset edited after its export', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const failing = await services.handlers['training.start']({
      projectId,
      spec: spec(snapshot.id, parentId, ['--fail']),
    })
    const failed = await jobSettled(services, failing.jobId)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/exit code 3: fake-trainer: CUDA out of memory/)
    const [run] = (await overview()).runs
    expect(run!.finished).toMatchObject({ status: 'failed', generationId: null })
    expect(run!.finished!.logTail).toMatch(/CUDA out of memory/)

    await writeFile(join(snapshot.folder, 'sft-prompt-completion', 'train.jsonl'), rows.slice(1).join(''))
    const edited = await services.handlers['training.start']({ projectId, spec: spec(snapshot.id, parentId) })
    const refused = await jobSettled(services, edited.jobId)
    expect(refused.status).toBe('failed')
    expect(refused.error).toMatch(/has changed since the dataset "stories v1" was exported/)
    // Refused before the trainer started: no second run.
    expect((await overview()).runs).toHaveLength(1)
  })

  it('refuses at once what cannot run: an unknown snapshot or parent, a custom recipe without a command', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const start = (s: TrainingRunSpec) => services.handlers['training.start']({ projectId, spec: s })
    await expect(start({ ...spec('nope', parentId) })).rejects.toThrow(/export a dataset first/)
    await expect(start({ ...spec(snapshot.id, 'nope') })).rejects.toThrow(/register the base model/)
    const noCommand = await start({ ...spec(snapshot.id, parentId), customArgv: null })
    expect((await jobSettled(services, noCommand.jobId)).error).toMatch(/Type your trainer command/)
    const moved = await services.handlers['monitor.register']({
      projectId,
      generation: {
        label: 'moved',
        parentId,
        engine: 'llamacpp',
        ggufPath: join(work, 'moved-away.gguf'),
        ollama: null,
        trainingSnapshotId: null,
      },
    })
    const missing = await start(spec(snapshot.id, moved.id))
    expect((await jobSettled(services, missing.jobId)).error).toMatch(
      /Generation 1's model .*moved-away.gguf cannot be read \(ENOENT\)\. Put the file back/,
    )
  })

  it.skipIf(process.platform === 'win32' || /\s/.test(process.execPath))(
    'gives a TRL run the base model entered for it, and refuses one without it or with one TRL cannot load',
    async () => {
      const snapshot = await exportSnapshot()
      const parentId = await registerBase()
      const python = await fakePython()
      const start = (s: TrainingRunSpec) => services.handlers['training.start']({ projectId, spec: s })
      const trl = (baseModel?: string | null): TrainingRunSpec => ({
        ...spec(snapshot.id, parentId),
        recipeId: 'trl-lora',
        hyperparameters: { epochs: 1 },
        customArgv: null,
        python,
        baseModel,
      })
      // Refused at once, saying what to enter; the parent's GGUF is no longer passed off as a TRL base model.
      for (const missing of [undefined, null, ' '])
        await expect(start(trl(missing))).rejects.toThrow(
          /loads its base model in Hugging Face form, not as a GGUF file or an Ollama name: under Base model, enter a Hugging Face id such as Qwen\/Qwen2\.5-0\.5B-Instruct or the full path of a local model folder/,
        )
      await expect(start(trl(join(work, 'base.gguf')))).rejects.toThrow(/is a GGUF file/)
      await expect(start(trl(join(work, 'no such folder')))).rejects.toThrow(/there is no .*no such folder/)
      await expect(start(trl('tiny:latest'))).rejects.toThrow(/looks like an Ollama model name/)
      await expect(
        start({
          ...spec(snapshot.id, parentId),
          recipeId: 'llamacpp-finetune',
          baseModel: 'Qwen/Qwen2.5-0.5B',
        }),
      ).rejects.toThrow(/takes no other base model/)
      expect((await services.handlers['jobs.list']({ projectId })).length).toBe(0)

      // A local folder (hostile name and all) reaches the trainer as the config's base_model, byte-exact.
      const folder = join(work, `Qwen2.5 "0.5B" {model} $(x) é`)
      await mkdir(folder, { recursive: true })
      await writeFile(join(folder, 'config.json'), '{}')
      const { jobId } = await start(trl(folder))
      const job = await jobSettled(services, jobId)
      expect(job.error).toBeNull()
      const [run] = (await overview()).runs
      const configPath = join(run!.started.workDir, 'trainer-config.json')
      const config = JSON.parse(await readFile(configPath, 'utf8')) as { base_model: string; recipe: string }
      expect(config).toMatchObject({ base_model: folder, recipe: 'trl-lora' })
      expect(run!.started.argv).toEqual([python, join(trainersDir, 'trl_lora.py'), '--config', configPath])
      // The run records what the trainer loaded: the folder, with no digest (not the parent's GGUF).
      expect(run!.started.baseModel).toEqual({ path: folder, sha256: null })
      expect(run!.started.spec.baseModel).toBe(folder)
      expect(run!.finished!.logTail).toContain(`trl_lora.py loads ${folder}`)
      expect(run!.finished).toMatchObject({ status: 'done', generationId: null })
      expect(run!.finished!.outputs.map((f) => f.name)).toEqual([
        'adapter_model.safetensors',
        'adapter_config.json',
      ])

      // A Hugging Face id goes through as it is.
      const byId = await start(trl(' Qwen/Qwen2.5-0.5B-Instruct '))
      expect((await jobSettled(services, byId.jobId)).error).toBeNull()
      const latest = (await overview()).runs.find((r) => r.started.jobId === byId.jobId)!
      expect(latest.started.baseModel).toEqual({ path: 'Qwen/Qwen2.5-0.5B-Instruct', sha256: null })
      const latestConfig = JSON.parse(
        await readFile(join(latest.started.workDir, 'trainer-config.json'), 'utf8'),
      ) as { base_model: string }
      expect(latestConfig.base_model).toBe('Qwen/Qwen2.5-0.5B-Instruct')
    },
  )

  it('marks a run whose process died while training as interrupted at the next start-up', async () => {
    const snapshot = await exportSnapshot()
    const parentId = await registerBase()
    const { jobId } = await services.handlers['training.start']({
      projectId,
      spec: spec(snapshot.id, parentId, ['--hang']),
    })
    const started = await until(async () => (await overview()).live.find((l) => l.step === 1))
    // What is on disk now is what a process killed at this moment leaves: copy it and start from the copy.
    const crashed = join(work, 'crashed')
    await cp(join(work, 'data'), crashed, { recursive: true })
    const next = await openTestServices(crashed)
    try {
      const { runs } = await next.handlers['training.overview']({ projectId })
      expect(runs).toHaveLength(1)
      expect(runs[0]!.started.runId).toBe(started.runId)
      expect(runs[0]!.finished).toMatchObject({ status: 'interrupted', outputs: [], generationId: null })
      expect(runs[0]!.finished!.error).toMatch(/Winnow stopped while this run was training/)
      const job = (await next.handlers['jobs.list']({ projectId })).find((j) => j.id === jobId)
      expect(job?.status).toBe('interrupted')
    } finally {
      await next.close()
    }
    // The copy marked its own run; the live process's run is still training until it is cancelled.
    expect((await overview()).runs[0]!.finished).toBeNull()
  })
})
