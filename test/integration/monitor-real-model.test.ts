// Issue 7 bar 3, for real on the CPU: stories260K is generation 0; generation 1 is stories260K fine-tuned on
// its own curated stories exactly as the fine-tune round trip does it. Both are registered and probed through
// the monitor's services with the real model, and the report must raise the held-out perplexity alarm (errors
// family) for generation 1 and not for generation 0. No skip: without the llama-finetune tool it is built.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import type { LlamaFinetuneBuild } from '../../src-main/services/training/llama-finetune-build'
import { cleanup, tempDir } from '../e2e/harness'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { seedHumanSamples, storyReferences } from '../factories/monitor'
import {
  BUILD_TIMEOUT_MS,
  buildFinetuneTool,
  fineTuneOnOwnStories,
  MODEL,
  PROMPTS,
  REFERENCE,
} from './finetune-helpers'

describe('collapse monitor on a real fine-tuned generation (stories260K, CPU)', () => {
  let work: string
  let build: LlamaFinetuneBuild
  let services: AppServices

  beforeAll(async () => {
    work = await tempDir('monitor-real-model')
    build = await buildFinetuneTool()
    services = await openTestServices(join(work, 'data'))
  }, BUILD_TIMEOUT_MS)

  afterAll(async () => {
    await services?.close()
    if (work) await cleanup(work)
  })

  it(
    'raises the held-out perplexity alarm for generation 1 and not for generation 0',
    async () => {
      const projectId = (await services.handlers['projects.create']({ name: 'stories' })).id
      // Human texts only: the prompts and paragraphs the sets are chosen from. None of them is trained on.
      await seedHumanSamples(services, projectId, [...PROMPTS, REFERENCE, ...storyReferences])
      const sets = await services.handlers['monitor.freezeSets']({
        projectId,
        probeSize: 4,
        referenceSize: 6,
        seed: 3,
        settings: { samplesPerPrompt: 8, maxTokens: 48, seed: 100, topLogprobs: 10 },
      })
      const probe = async (generationId: string) => {
        const { jobId } = await services.handlers['monitor.probe']({ projectId, generationId })
        const job = await jobSettled(services, jobId)
        expect(job.error).toBeNull()
        expect(job.status).toBe('done')
      }
      const base = await services.handlers['monitor.register']({
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
      await probe(base.id)

      // Generation 1: fine-tuned on generation 0's own curated stories, at the lowest priority.
      const tuned = await fineTuneOnOwnStories(build, work)
      const next = await services.handlers['monitor.register']({
        projectId,
        generation: {
          label: 'stories260K, fine-tuned on its own stories',
          parentId: base.id,
          engine: 'llamacpp',
          ggufPath: tuned.output,
          ollama: null,
          trainingSnapshotId: 'train.txt',
        },
      })
      await probe(next.id)

      const report = await services.handlers['monitor.report']({ projectId })
      const [g0, g1] = report.generations
      const errors0 = g0!.assessment!.families.errors!
      const errors1 = g1!.assessment!.families.errors!
      const ppl0 = g0!.metrics!.heldOut!.perplexity!
      const ppl1 = g1!.metrics!.heldOut!.perplexity!
      console.log(
        `held-out perplexity of ${sets.referenceSampleIds.length} reference texts: generation 0 = ${ppl0.toFixed(3)} ` +
          `(band ${g0!.perplexityBand?.low.toFixed(3)}–${g0!.perplexityBand?.high.toFixed(3)}), generation 1 = ` +
          `${ppl1.toFixed(3)} (band ${g1!.perplexityBand?.low.toFixed(3)}–${g1!.perplexityBand?.high.toFixed(3)}), ` +
          `ratio ${(ppl1 / ppl0).toFixed(2)}; forgotten share ${g0!.metrics!.heldOut!.forgottenShare} → ` +
          `${g1!.metrics!.heldOut!.forgottenShare}; fine-tune ${tuned.seconds.toFixed(1)} s on ${tuned.rows} texts`,
      )
      const spread = (g: typeof g0) =>
        `median ${g!.baselineScored?.median.toFixed(3)}, p95 ${g!.baselineScored?.p95.toFixed(3)}`
      console.log(
        `probe stories scored by generation 0: generation 0 ${spread(g0)}; generation 1 ${spread(g1)}`,
      )
      console.log(`generation 1 errors: ${errors1.state.toUpperCase()} — ${errors1.sentence}`)
      console.log(
        `generation 1 families: ${Object.values(g1!.assessment!.families)
          .map((f) => `${f.family} ${f.state}`)
          .join(', ')}; verdict ${report.verdict}`,
      )
      expect(errors0.state).toBe('healthy')
      expect(g0!.assessment!.verdict).toBe('healthy')
      expect(errors1.state).toBe('alarm')
      expect(errors1.signals[0]).toMatchObject({ metric: 'heldOut.perplexity', state: 'alarm' })
      expect(errors1.sentence).toMatch(/held-out perplexity up \d+ %/)
      expect(report.verdict).toBe('alarm')
      // The rise is far outside generation 0's bootstrap band, not noise among the reference texts.
      expect(g1!.perplexityBand!.low).toBeGreaterThan(g0!.perplexityBand!.high)
    },
    20 * 60_000,
  )
})
