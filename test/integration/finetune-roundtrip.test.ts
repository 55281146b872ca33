// Issue 6 bar 1, for real on the CPU and through the app's own path: build (or reuse) llama-finetune, curate
// generation 0's own stories, export them as a frozen snapshot, register stories260K as generation 0, run the
// `training.run` job with the llama.cpp recipe (which renders the snapshot to plain text and registers the
// result as generation 1), generate candidates with generation 1 through the generation job, read the
// lineage back from the log in a new process, and compare the exact perplexity of a human paragraph.
// No skip: without cmake, a C++ compiler or git this fails, naming the missing tool.
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultFormatOptions } from '@shared/export/format-options'
import { formatRows, toJsonLine } from '@shared/export/formats'
import { readLogEvent } from '@shared/domain/log-events'
import type { JobSnapshot } from '@shared/jobs/job'
import { lineageOf } from '@shared/training/generation-lineage'
import type { AppServices } from '../../src-main/services/app-services'
import { LlamaCppEngine } from '../../src-main/engines/llamacpp/llamacpp-engine'
import { renderFinetuneText } from '../../src-main/services/training/llamacpp-recipe'
import { cleanup, tempDir } from '../e2e/harness'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { generationSpecFor } from '../factories/generation-spec'
import {
  BUILD_TIMEOUT_MS,
  buildFinetuneTool,
  curateOwnStories,
  HYPERPARAMETERS,
  MODEL,
  MODEL_SHA256,
  REFERENCE,
} from './finetune-helpers'

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('llama.cpp fine-tune round trip (stories260K, CPU, through the training job)', () => {
  let work: string
  let services: AppServices
  const engines: LlamaCppEngine[] = []

  beforeAll(async () => {
    work = await tempDir('finetune-roundtrip')
    await buildFinetuneTool()
    services = await openTestServices(join(work, 'data'))
  }, BUILD_TIMEOUT_MS)

  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.close()))
    await services?.close()
    if (work) await cleanup(work)
  })

  it(
    'fine-tunes generation 1 from generation 0 as a job and reads its lineage and perplexity back',
    async () => {
      const started = performance.now()
      const h = services.handlers
      const projectId = (await h['projects.create']({ name: 'round trip' })).id
      const engine0 = new LlamaCppEngine({ modelPath: MODEL, threads: 1 })
      engines.push(engine0)

      // Curate: generation 0 continues each prompt; every eighth story is rejected and must not be trained on.
      const records = await curateOwnStories(engine0)
      const rejected = records.filter((r) => r.review.status === 'rejected')
      const expected = renderFinetuneText(records, defaultFormatOptions)
      const uniquelyRejected = rejected.filter(
        (r) => r.candidates[0]!.text.length > 20 && !expected.text.includes(r.candidates[0]!.text.trim()),
      )
      expect(uniquelyRejected.length).toBeGreaterThan(0)

      // Export: the real formatter's rows (a rejected sample has none), frozen as a snapshot.
      const exports = join(work, 'exports')
      await mkdir(exports)
      const { exportId } = await h['export.open']({ projectId, folder: exports, name: 'own stories' })
      const rows = formatRows('sft-prompt-completion', records, defaultFormatOptions)
      await h['export.write']({
        exportId,
        file: 'sft-prompt-completion/train.jsonl',
        text: rows.map(toJsonLine).join(''),
      })
      const accepted = records.filter((r) => r.review.status !== 'rejected').map((r) => r.sampleId)
      const { snapshot } = await h['export.finish']({
        exportId,
        snapshot: {
          name: 'own stories',
          formats: ['sft-prompt-completion'],
          spec: {},
          formatOptions: defaultFormatOptions,
          logSeq: 1,
          splits: { train: accepted, test: [] },
          counts: {
            rows: { 'sft-prompt-completion': rows.length },
            bySplit: { train: rows.length },
            byOrigin: { model: rows.length },
            byDepth: { '1': rows.length },
            byGeneration: { '0': rows.length },
          },
          warnings: [],
        },
        extraFiles: {},
      })

      // Generation 0, then the run: the job renders the snapshot, trains at the lowest priority, registers.
      const gen0 = await h['monitor.register']({
        projectId,
        generation: {
          label: 'stories260K',
          parentId: null,
          engine: 'llamacpp',
          ggufPath: MODEL,
          ollama: null,
          trainingSnapshotId: null,
        },
      })
      const progress: JobSnapshot[] = []
      services.events.subscribe((name, payload) => {
        if (name === 'jobs.changed' && (payload as JobSnapshot).kind === 'training.run')
          progress.push(payload as JobSnapshot)
      })
      const { jobId } = await h['training.start']({
        projectId,
        spec: {
          snapshotId: snapshot.id,
          recipeId: 'llamacpp-finetune',
          parentGenerationId: gen0.id,
          hyperparameters: { ...HYPERPARAMETERS },
          customArgv: null,
          python: null,
          ollamaHost: null,
          label: null,
        },
      })
      const job = await jobSettled(services, jobId)
      expect(job.error).toBeNull()
      expect(job.status).toBe('done')
      const steps = progress.flatMap((j) => (j.progress?.unit === 'steps' ? [j.progress] : []))
      expect(steps.length).toBeGreaterThan(0)
      expect(steps.at(-1)!.total).toBeGreaterThan(0)

      // The lineage, read back from the log by a new process.
      await services.close()
      services = await openTestServices(join(work, 'data'))
      const { runs, generations } = await services.handlers['training.overview']({ projectId })
      const [run] = runs
      const gen1 = generations.find((g) => g.generation === 1)!
      // The job trained on exactly what the tested renderer makes of the accepted stories, nothing rejected.
      const trainedText = await readFile(run!.started.dataset.path, 'utf8')
      expect(trainedText).toBe(expected.text)
      expect(run!.started.dataset).toMatchObject({
        format: 'plain-text',
        rows: expected.rows,
        sha256: sha256(trainedText),
      })
      expect(run!.started.argv).toEqual(expect.arrayContaining(['--epochs', '4', '--model', MODEL]))
      expect(run!.points.length).toBeGreaterThan(0)
      const outputBytes = await readFile(gen1.ggufPath!)
      expect(run!.finished).toMatchObject({ status: 'done', generationId: gen1.id })
      expect(gen1).toMatchObject({
        parentId: gen0.id,
        trainingSnapshotId: snapshot.id,
        training: {
          runId: run!.started.runId,
          recipeId: 'llamacpp-finetune',
          hyperparameters: HYPERPARAMETERS,
          baseModel: { path: MODEL, sha256: MODEL_SHA256 },
          outputs: [{ path: gen1.ggufPath, sha256: sha256(outputBytes) }],
        },
      })
      const lineage = lineageOf(generations, gen1.id, new Map([[gen0.id, MODEL_SHA256]]))
      expect(lineage.map((s) => s.generation.generation)).toEqual([1, 0])
      expect(sha256(outputBytes)).not.toBe(MODEL_SHA256)

      // Candidates from generation 1 through the generation job carry it, and the digest of its file.
      const corpus = join(work, 'prompts.jsonl')
      await writeFile(corpus, `${JSON.stringify({ text: 'Once upon a time' })}\n`)
      const imported = await services.handlers['import.start']({
        projectId,
        spec: {
          path: corpus,
          format: 'jsonl',
          textField: 'text',
          idField: null,
          origin: { kind: 'declared', value: 'human' },
        },
      })
      await jobSettled(services, imported.jobId)
      const generation = await services.handlers['generation.start']({
        projectId,
        spec: generationSpecFor('http://127.0.0.1:11434', {
          template: {
            id: 'continue',
            name: 'Continue',
            description: 'Raw.',
            mode: 'raw',
            system: null,
            template: '{{text}}',
          },
          models: [{ engine: 'llamacpp', modelPath: gen1.ggufPath!, model: 'generation 1' }],
          temperatures: [1],
          candidatesPerCell: 3,
          maxTokens: 32,
          logprobsTopK: null,
        }),
      })
      expect((await jobSettled(services, generation.jobId)).status).toBe('done')
      const { events } = await services.handlers['log.read']({
        projectId,
        afterSeq: 0,
        maxEvents: 10_000,
        maxBytes: 8 << 20,
      })
      const candidates = events.flatMap((e) => {
        const typed = readLogEvent(e)
        return typed?.kind === 'candidates.recorded' ? typed.data.candidates : []
      })
      expect(candidates).toHaveLength(3)
      for (const candidate of candidates) {
        expect(candidate.text.length).toBeGreaterThan(0)
        expect(candidate.provenance).toMatchObject({
          modelDigest: `sha256:${sha256(outputBytes)}`,
          generationId: 1,
          modelGeneration: { id: gen1.id, label: gen1.label },
        })
      }

      // Exact perplexity of the human reference under both generations.
      const engine1 = new LlamaCppEngine({ modelPath: gen1.ggufPath!, threads: 1 })
      engines.push(engine1)
      const ppl0 = (await engine0.scoreText(REFERENCE)).perplexity
      const ppl1 = (await engine1.scoreText(REFERENCE)).perplexity
      const seconds = (performance.now() - started) / 1000
      console.log(
        `reference perplexity: generation 0 = ${ppl0.toFixed(3)}, generation 1 = ${ppl1.toFixed(3)}; ` +
          `fine-tune ${run!.finished!.seconds!.toFixed(1)} s, ${expected.rows} texts, ${trainedText.length} chars, ` +
          `${run!.points.length} loss points; round trip ${seconds.toFixed(1)} s`,
      )
      expect(Number.isFinite(ppl0) && Number.isFinite(ppl1)).toBe(true)
      expect(ppl0).toBeGreaterThan(1)
      // More than rounding: at least 1 % apart on the log scale.
      expect(Math.abs(Math.log(ppl1 / ppl0))).toBeGreaterThan(0.01)
    },
    15 * 60_000,
  )
})
