// Issue 6 bar 1, for real on the CPU and only through the app's own paths: a project is curated (human texts
// imported, generation 0 = stories260K continues them in a generation job, a person selects, edits and rejects
// through review.decide), the renderer's store is projected from the log and the Datasets screen's export
// writes a frozen snapshot from it, the `training.run` job fine-tunes generation 0 on that snapshot with the
// llama.cpp recipe and registers generation 1 in the embedded engine, generation 1 writes candidates in a
// generation job, and the lineage and the held-out perplexity of a fixed human paragraph, probed by the
// monitor for both generations, are read back from the log in a new process.
// No skip: without cmake, a C++ compiler or git the llama-finetune build fails, naming the missing tool.
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultFormatOptions } from '@shared/export/format-options'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import type { JobSnapshot } from '@shared/jobs/job'
import type { GenerationSpec } from '@shared/domain/generation-spec'
import { readLogEvent } from '@shared/domain/log-events'
import { lineageOf } from '@shared/training/generation-lineage'
import type { AppServices } from '../../src-main/services/app-services'
import { LlamaCppEngine } from '../../src-main/engines/llamacpp/llamacpp-engine'
import { cleanup, tempDir } from '../e2e/harness'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { generationSpecFor } from '../factories/generation-spec'
import {
  BUILD_TIMEOUT_MS,
  buildFinetuneTool,
  HYPERPARAMETERS,
  MODEL,
  MODEL_SHA256,
  REFERENCE,
} from './finetune-helpers'
import {
  candidatesOf,
  EDITED_TEXT,
  exportFromStore,
  importHumanTexts,
  readWholeLog,
  reviewCandidates,
  stopwatch,
  storyOpenings,
} from './finetune-project'

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex')

/** The probe prompt of the monitor's frozen sets; like the reference, never trained on. */
const PROBE_PROMPT = 'The little bird sang a song'
/** With these two human texts alone in the project, this seed makes REFERENCE the reference set. */
const SETS_SEED = 1

/** A raw continuation of each sample by the given GGUF files, in the embedded engine. */
const continuation = (
  models: GenerationSpec['models'],
  sampleIds: string[],
  overrides: Partial<GenerationSpec> = {},
): GenerationSpec =>
  generationSpecFor('http://127.0.0.1:11434', {
    sampleIds,
    template: {
      id: 'continue',
      name: 'Continue',
      description: 'Raw.',
      mode: 'raw',
      system: null,
      template: '{{text}}',
    },
    models,
    temperatures: [1],
    candidatesPerCell: 2,
    maxTokens: 80,
    logprobsTopK: null,
    concurrency: 1,
    ...overrides,
  })

describe('llama.cpp fine-tune round trip (stories260K, CPU, through a curated project)', () => {
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
    'curates, exports, fine-tunes generation 1 as a job, generates with it and reads lineage and perplexity back',
    async () => {
      const started = performance.now()
      const lap = stopwatch()
      let h = services.handlers
      const projectId = (await h['projects.create']({ name: 'round trip' })).id

      // The held-out human texts come first and are frozen as the monitor's sets, so no export may train on them.
      const heldOut = await importHumanTexts(services, projectId, join(work, 'held-out.jsonl'), [
        PROBE_PROMPT,
        REFERENCE,
      ])
      const sets = await h['monitor.freezeSets']({
        projectId,
        probeSize: 1,
        referenceSize: 1,
        seed: SETS_SEED,
        settings: { samplesPerPrompt: 2, maxTokens: 24, seed: 100, topLogprobs: 5 },
      })
      const referenceSample = heldOut.find((s) => s.text === REFERENCE)!
      expect(sets.referenceSampleIds).toEqual([referenceSample.id])
      const probe = async (generationId: string) => {
        const { jobId } = await services.handlers['monitor.probe']({ projectId, generationId })
        const job = await jobSettled(services, jobId)
        expect(job.error).toBeNull()
        expect(job.status).toBe('done')
      }

      // Generation 0, registered for the embedded engine, and its held-out perplexity recorded by the monitor.
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
      expect(gen0.generation).toBe(0)
      await probe(gen0.id)
      lap('held-out sets and generation 0 probe')

      // Curate: the human story openings, continued twice each by generation 0 in a generation job.
      const samples = await importHumanTexts(services, projectId, join(work, 'openings.jsonl'), storyOpenings)
      expect(samples.map((s) => s.text)).toEqual(storyOpenings)
      const sampleIds = samples.map((s) => s.id)
      const generation0 = await h['generation.start']({
        projectId,
        spec: continuation([{ engine: 'llamacpp', modelPath: MODEL, model: 'stories260K' }], sampleIds),
      })
      expect(generation0.candidates).toBe(2 * samples.length)
      expect((await jobSettled(services, generation0.jobId)).status).toBe('done')
      const candidates0 = candidatesOf(await readWholeLog(services, projectId), generation0.jobId)
      expect(candidates0).toHaveLength(2 * samples.length)
      for (const candidate of candidates0) {
        expect(candidate.status).toBe('complete')
        expect(candidate.provenance).toMatchObject({
          modelDigest: `sha256:${MODEL_SHA256}`,
          generationId: 0,
          modelGeneration: { id: gen0.id, label: gen0.label },
        })
      }
      lap('generation 0')

      // Review through review.decide: selections, one edit, one reject-all, one sample left unreviewed.
      const curation = await reviewCandidates(services, projectId, samples, candidates0)
      expect(curation.decisions).toBe(samples.length - 1)
      expect(await h['review.verify']({ projectId })).toEqual({
        ok: true,
        decisions: curation.decisions,
        chains: 1,
      })
      lap('review')

      // Export: the store projected from the log, then the Datasets screen's one-pass export out of it.
      const exports = join(work, 'exports')
      await mkdir(exports)
      const outcome = await exportFromStore(services, projectId, {
        name: 'curated stories',
        folder: exports,
        formats: ['sft-prompt-completion'],
        spec: {
          ...defaultDatasetSpec,
          // No test split of the curated texts: sample ids are new each run, and so would be what is trained on.
          split: { testFraction: 0, seed: 0 },
          // The held-out texts are human originals that accumulate would keep: to the test split only.
          probeOverride: { allowed: true, reason: 'the monitor’s held-out texts stay out of training' },
        },
        formatOptions: defaultFormatOptions,
        huggingFace: null,
      })
      if (!outcome.ok) throw new Error(`export refused: ${JSON.stringify(outcome.offenders)}`)
      const { snapshot } = outcome
      expect(outcome.inputCount).toBe(heldOut.length + samples.length)
      for (const { id } of heldOut) {
        expect(snapshot.splits.train).not.toContain(id)
        expect(snapshot.splits.test).toContain(id)
      }
      expect(snapshot.warnings.join('\n')).toMatch(/PROBE\/REFERENCE OVERRIDE/)
      // Every synthetic text in it is generation 0's.
      expect(Object.keys(snapshot.counts.byGeneration)).toEqual(['0'])
      expect(snapshot.counts.byGeneration['0']).toBeGreaterThan(samples.length / 2)
      // The same frozen snapshot is in the project log, where the training job finds it.
      const exported = (await readWholeLog(services, projectId)).flatMap((event) => {
        const typed = readLogEvent(event)
        return typed?.kind === 'dataset.exported' ? [typed.data.snapshot] : []
      })
      expect(exported).toEqual([snapshot])
      lap('projection and export')

      // The run: the job renders the snapshot, trains generation 0 at the lowest priority, registers generation 1.
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
      lap('fine-tune job')

      // Read back by a new process: the run, generation 1 and what it was trained on.
      await services.close()
      services = await openTestServices(join(work, 'data'))
      h = services.handlers
      const overview = await h['training.overview']({ projectId })
      const [run] = overview.runs
      const gen1 = overview.generations.find((g) => g.generation === 1)!
      // The job trained on exactly the accepted texts of the snapshot's train split, in project order: the
      // selections and the edit; nothing rejected, unreviewed or held out.
      const trainedText = await readFile(run!.started.dataset.path, 'utf8')
      const train = new Set(snapshot.splits.train)
      const expected = samples.flatMap((s) => {
        const text = curation.accepted.get(s.id)
        return train.has(s.id) && text !== undefined && text.trim() !== '' ? [text.trim()] : []
      })
      expect(expected.length).toBeGreaterThan(samples.length / 2)
      expect(trainedText).toBe(`${expected.join('\n\n')}\n`)
      expect(trainedText).toContain(EDITED_TEXT.trim())
      const rejected = candidates0.filter((c) => c.sampleId === curation.rejectedSampleId)
      const unreviewed = candidates0.filter((c) => c.sampleId === curation.unreviewedSampleId)
      for (const candidate of [...rejected, ...unreviewed])
        if (candidate.text.trim().length > 20) expect(trainedText).not.toContain(candidate.text.trim())
      for (const text of [REFERENCE, PROBE_PROMPT]) expect(trainedText).not.toContain(text)
      expect(run!.started.dataset).toMatchObject({
        format: 'plain-text',
        rows: expected.length,
        sha256: sha256(trainedText),
      })
      expect(run!.started.spec.snapshotId).toBe(snapshot.id)
      expect(run!.started.argv).toEqual(expect.arrayContaining(['--epochs', '4', '--model', MODEL]))
      expect(run!.points.length).toBeGreaterThan(0)
      const outputBytes = await readFile(gen1.ggufPath!)
      expect(sha256(outputBytes)).not.toBe(MODEL_SHA256)
      expect(run!.finished).toMatchObject({ status: 'done', generationId: gen1.id })
      expect(gen1).toMatchObject({
        engine: 'llamacpp',
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

      // Generation 1 continues three openings through the generation job; its candidates carry it.
      const generation1 = await h['generation.start']({
        projectId,
        spec: continuation(
          [{ engine: 'llamacpp', modelPath: gen1.ggufPath!, model: 'generation 1' }],
          sampleIds.slice(0, 3),
          { candidatesPerCell: 1, maxTokens: 32 },
        ),
      })
      expect((await jobSettled(services, generation1.jobId)).status).toBe('done')
      const candidates1 = candidatesOf(await readWholeLog(services, projectId), generation1.jobId)
      expect(candidates1).toHaveLength(3)
      for (const candidate of candidates1) {
        expect(candidate.text.length).toBeGreaterThan(0)
        expect(candidate.provenance).toMatchObject({
          modelDigest: `sha256:${sha256(outputBytes)}`,
          generationId: 1,
          modelGeneration: { id: gen1.id, label: gen1.label },
        })
      }
      await probe(gen1.id)
      lap('generation 1 and its probe')

      // The complete lineage, from a candidate of generation 1 back to generation 0, read from the log.
      const final = await h['training.overview']({ projectId })
      const from = candidates1[0]!.provenance.modelGeneration!.id
      const lineage = lineageOf(final.generations, from, new Map([[gen0.id, MODEL_SHA256]]))
      expect(lineage.map((s) => s.generation.generation)).toEqual([1, 0])
      const [step1, step0] = lineage
      const viaRun = final.runs.find((r) => r.started.runId === step1!.generation.training!.runId)!
      expect(viaRun.finished?.generationId).toBe(from)
      expect(viaRun.started.spec.parentGenerationId).toBe(step0!.generation.id)
      const viaSnapshot = final.snapshots.find((s) => s.id === viaRun.started.spec.snapshotId)!
      expect(viaSnapshot).toMatchObject({ id: step1!.generation.trainingSnapshotId, name: 'curated stories' })
      expect(Object.keys(viaSnapshot.counts.byGeneration)).toEqual([String(step0!.generation.generation)])
      expect(step1!.parent?.id).toBe(step0!.generation.id)
      expect(step0!.parent).toBeNull()

      // The exact held-out perplexity of the human reference, recorded for both generations, and different.
      const recorded = (id: string) => {
        const probes = final.probes.filter((p) => p.generationId === id)
        expect(probes).toHaveLength(1)
        return probes[0]!.perplexity!
      }
      const ppl0 = recorded(gen0.id)
      const ppl1 = recorded(gen1.id)
      // Exact: what the embedded engine scores for the reference paragraph itself, under each model.
      const engine0 = new LlamaCppEngine({ modelPath: MODEL, threads: 1 })
      const engine1 = new LlamaCppEngine({ modelPath: gen1.ggufPath!, threads: 1 })
      engines.push(engine0, engine1)
      expect(ppl0).toBeCloseTo((await engine0.scoreText(REFERENCE)).perplexity, 9)
      expect(ppl1).toBeCloseTo((await engine1.scoreText(REFERENCE)).perplexity, 9)
      const seconds = (performance.now() - started) / 1000
      console.log(
        `reference perplexity: generation 0 = ${ppl0.toFixed(3)}, generation 1 = ${ppl1.toFixed(3)}; ` +
          `fine-tune ${run!.finished!.seconds!.toFixed(1)} s, ${expected.length} texts, ${trainedText.length} chars, ` +
          `${run!.points.length} loss points; round trip ${seconds.toFixed(1)} s (${lap.laps.join(', ')})`,
      )
      expect(Number.isFinite(ppl0) && Number.isFinite(ppl1)).toBe(true)
      expect(ppl0).toBeGreaterThan(1)
      // More than rounding: at least 1 % apart on the log scale.
      expect(Math.abs(Math.log(ppl1 / ppl0))).toBeGreaterThan(0.01)
    },
    15 * 60_000,
  )
})
