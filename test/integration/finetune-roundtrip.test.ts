// Issue 6 bar 1, for real on the CPU: build (or reuse) llama-finetune, curate generation 0's own stories,
// render them, fine-tune ../shared/models/stories260K.gguf, register the result as generation 1, generate
// with it, read the lineage back, and compare the exact perplexity of a human paragraph under both.
// No skip: without cmake, a C++ compiler or git this fails, naming the missing tool.
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defaultFormatOptions } from '@shared/export/format-options'
import { LlamaCppEngine } from '../../src-main/engines/llamacpp/llamacpp-engine'
import type { LlamaFinetuneBuild } from '../../src-main/services/training/llama-finetune-build'
import {
  llamaFinetuneRecipeId,
  renderFinetuneText,
  runLlamaFinetune,
} from '../../src-main/services/training/llamacpp-recipe'
import {
  baseGeneration,
  lineageOf,
  modelGeneration,
  nextGeneration,
} from '../../src-main/services/training/model-generation'
import type { TrainerProgress } from '../../src-main/services/training/progress-protocol'
import { cleanup, tempDir } from '../e2e/harness'
import {
  BUILD_TIMEOUT_MS,
  buildFinetuneTool,
  curateOwnStories,
  HYPERPARAMETERS,
  MODEL,
  MODEL_SHA256,
  REFERENCE,
  request,
} from './finetune-helpers'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

describe('llama.cpp fine-tune round trip (stories260K, CPU)', () => {
  let work: string
  let build: LlamaFinetuneBuild
  const engines: LlamaCppEngine[] = []

  beforeAll(async () => {
    work = await tempDir('finetune-roundtrip')
    build = await buildFinetuneTool()
  }, BUILD_TIMEOUT_MS)

  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.close()))
    if (work) await cleanup(work)
  })

  it(
    'fine-tunes generation 1 from generation 0 and reads its lineage and perplexity back',
    async () => {
      const started = performance.now()
      const gen0 = await baseGeneration(MODEL)
      expect(gen0.outputs[0]?.sha256).toBe(MODEL_SHA256)
      const engine0 = new LlamaCppEngine({ modelPath: MODEL, threads: 1 })
      engines.push(engine0)

      // Curate: generation 0 continues each prompt; every eighth story is rejected and must not be trained on.
      const records = await curateOwnStories(engine0)
      const dataset = renderFinetuneText(records, defaultFormatOptions)
      const rejected = records.filter((r) => r.review.status === 'rejected')
      expect(dataset.rows).toBe(records.length - rejected.length)
      expect(dataset.skipped).toBe(rejected.length)
      const uniquelyRejected = rejected.filter(
        (r) => r.candidates[0]!.text.length > 20 && !dataset.text.includes(r.candidates[0]!.text.trim()),
      )
      expect(uniquelyRejected.length).toBeGreaterThan(0)
      const datasetPath = join(work, 'train.txt')
      const output = join(work, 'generation-1.gguf')

      // Fine-tune at the lowest priority: the machine is shared.
      const progress: TrainerProgress[] = []
      const run = await runLlamaFinetune(
        {
          program: build.binary,
          model: MODEL,
          dataset: datasetPath,
          output,
          hyperparameters: HYPERPARAMETERS,
          onProgress: (p) => progress.push(p),
        },
        dataset.text,
      )
      expect(await readFile(datasetPath, 'utf8')).toBe(dataset.text)
      const trainSteps = progress.filter((p) => p.phase === 'train' && p.source === 'llama-finetune')
      expect(trainSteps.length).toBeGreaterThan(0)
      expect(trainSteps.every((p) => p.loss === null || Number.isFinite(p.loss))).toBe(true)

      // Register generation 1 and persist both records; lineage is read back from the file, not from memory.
      const gen1 = await nextGeneration(gen0, {
        datasetSnapshotId: `snapshot-${sha256(records.map((r) => r.sampleId).join('\n'))}`,
        datasetPath,
        runId: 'run-1',
        recipeId: llamaFinetuneRecipeId,
        hyperparameters: { ...HYPERPARAMETERS },
        argv: [run.argv.file, ...run.argv.args],
        seconds: run.seconds,
        outputPaths: [output],
      })
      const registry = join(work, 'generations.json')
      await writeFile(registry, JSON.stringify([gen0, gen1]))
      const readBack = z.array(modelGeneration).parse(JSON.parse(await readFile(registry, 'utf8')))
      const [step1, step0] = lineageOf(readBack, 1)
      expect(step1?.generation).toMatchObject({
        generation: 1,
        parentGeneration: 0,
        engine: 'llamacpp',
        baseModel: { sha256: MODEL_SHA256, path: MODEL },
        training: {
          datasetSnapshotId: gen1.training?.datasetSnapshotId,
          datasetFile: { sha256: sha256(dataset.text), path: datasetPath },
          runId: 'run-1',
          recipeId: 'llamacpp-finetune',
          hyperparameters: HYPERPARAMETERS,
        },
        outputs: [{ path: output, name: 'generation-1.gguf' }],
      })
      expect(step1?.generation.training?.argv).toEqual(
        expect.arrayContaining(['--epochs', '4', '--file', datasetPath, '--model', MODEL]),
      )
      expect(step1?.parent?.generation).toBe(0)
      expect(step0).toMatchObject({ generation: { generation: 0, training: null }, parent: null })
      const outputFile = step1!.generation.outputs[0]!
      expect(outputFile.sha256).not.toBe(MODEL_SHA256)

      // The embedded engine runs generation 1: the file it loads is the one registered.
      const engine1 = new LlamaCppEngine({ modelPath: outputFile.path, threads: 1 })
      engines.push(engine1)
      expect((await engine1.modelInfo()).sha256).toBe(outputFile.sha256)
      const candidates = []
      for (const seed of [1, 2, 3]) {
        const result = await engine1.generate(request('Once upon a time', seed, 32))
        candidates.push({ text: result.text, modelDigest: result.modelDigest, generationId: gen1.generation })
      }
      for (const candidate of candidates) {
        expect(candidate.text.length).toBeGreaterThan(0)
        expect(candidate.modelDigest).toBe(`sha256:${outputFile.sha256}`)
        expect(candidate.generationId).toBe(1)
      }

      // Exact perplexity of the human reference under both generations.
      const ppl0 = (await engine0.scoreText(REFERENCE)).perplexity
      const ppl1 = (await engine1.scoreText(REFERENCE)).perplexity
      const seconds = (performance.now() - started) / 1000
      console.log(
        `reference perplexity: generation 0 = ${ppl0.toFixed(3)}, generation 1 = ${ppl1.toFixed(3)}; ` +
          `fine-tune ${run.seconds.toFixed(1)} s, ${dataset.rows} texts, ${dataset.text.length} chars; ` +
          `round trip ${seconds.toFixed(1)} s`,
      )
      expect(Number.isFinite(ppl0) && Number.isFinite(ppl1)).toBe(true)
      expect(ppl0).toBeGreaterThan(1)
      // More than rounding: at least 1 % apart on the log scale.
      expect(Math.abs(Math.log(ppl1 / ppl0))).toBeGreaterThan(0.01)
    },
    15 * 60_000,
  )
})
