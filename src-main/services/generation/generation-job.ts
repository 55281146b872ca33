// The generation job: for each selected sample, each model × temperature, and each of k candidates, render the
// template, generate through the engine, and record the candidate (complete, partial or failed) with its full
// provenance in the project log. Slots already complete in the log are skipped, so a resumed job never
// duplicates a candidate; partial and failed slots are tried again with the next attempt number.
import { templateHash, renderTemplate, type RenderedPrompt } from '@shared/domain/prompt-template'
import type { CandidateRecord, CandidateStatus } from '@shared/domain/candidate'
import type { SampleRecord } from '@shared/domain/sample'
import { GenerationError, type Engine, type GenerateResult } from '../../engines/engine'
import type { JobContext, JobWorker } from '../jobs/job-runner'
import { slotKey } from '../projects/project-state'
import type { ProjectRegistry } from '../projects/project-registry'
import { uuidv7 } from '@shared/ids/uuidv7'
import { CandidateRecorder } from './candidate-recorder'
import {
  readGenerationResult,
  targetLocation,
  type GenerationResult,
  type GenerationSpec,
  type ModelTarget,
} from '@shared/domain/generation-spec'
import { summariseLogprobs } from './logprob-summary'
import { LivePreview, type PublishStreaming } from './live-preview'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import { generationOfModel } from '@shared/training/generation-of-model'

export interface GenerationParams {
  projectId: string
  spec: GenerationSpec
}

interface Task {
  sample: SampleRecord
  /** Rendered once per sample: every model, temperature and index of a sample sees the same prompt. */
  prompt: RenderedPrompt
  target: ModelTarget
  temperature: number
  index: number
  slot: string
  attempt: number
}

export type EngineFor = (target: ModelTarget) => Engine
/** The project's registered model generations, so each candidate names the generation that wrote it. */
export type GenerationsOf = (projectId: string) => Promise<Iterable<ModelGenerationRecord>>

export function createGenerationWorker(
  registry: ProjectRegistry,
  engineFor: EngineFor,
  publishStreaming: PublishStreaming | null = null,
  generationsOf: GenerationsOf = async () => [],
): JobWorker<GenerationParams> {
  return {
    kind: 'generate',
    // A finished job with failed or partial slots can run again: it retries exactly those.
    canRetry: (result) => {
      const counts = readGenerationResult(result)
      return counts !== null && counts.failed + counts.partial > 0
    },
    run: async (params, context) => {
      const preview = new LivePreview(params.projectId, context.jobId, publishStreaming)
      try {
        return await runGeneration(registry, engineFor, generationsOf, params, context, preview)
      } finally {
        preview.stop()
      }
    },
  }
}

async function runGeneration(
  registry: ProjectRegistry,
  engineFor: EngineFor,
  generationsOf: GenerationsOf,
  { projectId, spec }: GenerationParams,
  context: JobContext,
  preview: LivePreview,
): Promise<GenerationResult> {
  const state = await registry.state(projectId)
  const registered = [...(await generationsOf(projectId))]
  const generationOf = new Map(spec.models.map((target) => [target, generationOfModel(registered, target)]))
  const samples = await registry.samples(projectId, spec.sampleIds ? new Set(spec.sampleIds) : null)
  const tasks: Task[] = []
  let skipped = 0
  for (const sample of samples) {
    let prompt: RenderedPrompt | null = null
    for (const target of spec.models) {
      for (const temperature of spec.temperatures) {
        for (let index = 0; index < spec.candidatesPerCell; index++) {
          const slot = `${sample.id}|${targetLocation(target)}|${target.model}|t=${temperature}|${index}`
          const previous = state.candidateSlots.get(slotKey(context.jobId, slot))
          if (previous?.status === 'complete') skipped++
          else {
            prompt ??= renderTemplate(spec.template, sample).prompt
            tasks.push({
              sample,
              prompt,
              target,
              temperature,
              index,
              slot,
              attempt: (previous?.attempts ?? 0) + 1,
            })
          }
        }
      }
    }
  }
  const total = tasks.length + skipped
  const result: GenerationResult = {
    complete: 0,
    partial: 0,
    failed: 0,
    skipped,
    failureKinds: {},
    digestChanges: [],
  }
  const digests = new Map<string, string>()
  const recorder = new CandidateRecorder(registry, projectId)
  const recorded: Promise<void>[] = []
  const hash = templateHash(spec.template)
  const report = (): void =>
    context.report({
      unit: 'candidates',
      done: skipped + result.complete + result.partial + result.failed,
      total,
      counts: { complete: result.complete, partial: result.partial, failed: result.failed, skipped },
    })
  report()

  const runTask = async (task: Task): Promise<void> => {
    const { prompt } = task
    const sampling = {
      temperature: task.temperature,
      topP: spec.topP,
      topK: spec.topK,
      seed: spec.baseSeed + task.index,
      maxTokens: spec.maxTokens,
      stop: spec.stop,
    }
    const startedAt = Date.now()
    preview.begin({
      slot: task.slot,
      sampleId: task.sample.id,
      model: task.target.model,
      temperature: task.temperature,
      index: task.index,
    })
    let outcome: { status: CandidateStatus; result: GenerateResult | null; error: GenerationError | null }
    try {
      const generated = await engineFor(task.target).generate({
        model: task.target.model,
        prompt,
        sampling,
        logprobs: spec.logprobsTopK === null ? null : { topK: spec.logprobsTopK },
        think: spec.think,
        signal: context.signal,
        onChunk: (piece) => preview.chunk(task.slot, piece),
      })
      outcome = { status: 'complete', result: generated, error: null }
    } catch (error) {
      const failure =
        error instanceof GenerationError
          ? error
          : new GenerationError('model-error', error instanceof Error ? error.message : String(error), false)
      outcome = { status: failure.partialText ? 'partial' : 'failed', result: null, error: failure }
    }
    preview.end(task.slot)
    const generated = outcome.result
    const generation = generationOf.get(task.target) ?? null
    const digest = generated?.modelDigest ?? null
    const modelKey = `${targetLocation(task.target)}|${task.target.model}`
    if (digest) {
      const seen = digests.get(modelKey)
      if (seen && seen !== digest && !result.digestChanges.includes(modelKey))
        result.digestChanges.push(modelKey)
      digests.set(modelKey, digest)
    }
    const candidate: CandidateRecord = {
      id: uuidv7(),
      sampleId: task.sample.id,
      jobId: context.jobId,
      slot: task.slot,
      status: outcome.status,
      text: generated?.text ?? outcome.error?.partialText ?? '',
      thinking: generated?.thinking ?? null,
      failure: outcome.error ? { kind: outcome.error.kind, message: outcome.error.message } : null,
      provenance: {
        engine: task.target.engine,
        host: task.target.engine === 'ollama' ? (generated?.host ?? task.target.host) : null,
        model: task.target.model,
        modelDigest: digest,
        engineVersion: generated?.engineVersion ?? null,
        templateId: spec.template.id,
        templateHash: hash,
        prompt,
        sampling,
        logprobsTopK: spec.logprobsTopK,
        think: spec.think,
        attempt: task.attempt,
        generationId: generation?.generation ?? 0,
        ...(generation === null ? {} : { modelGeneration: { id: generation.id, label: generation.label } }),
      },
      timings: generated?.timings ?? { firstTokenMs: null, totalMs: Date.now() - startedAt },
      tokenCounts: {
        prompt: generated?.promptTokens ?? null,
        completion: generated?.completionTokens ?? null,
      },
      doneReason: generated?.doneReason ?? null,
      logprobs: generated?.logprobs ?? null,
      logprobSummary: generated?.logprobs ? summariseLogprobs(generated.logprobs) : null,
      createdAt: new Date().toISOString(),
    }
    // The worker goes on to its next slot while the candidate is written; it counts once it is on disk.
    const status = outcome.status
    recorded.push(
      recorder.record(candidate).then(() => {
        result[status]++
        if (candidate.failure)
          result.failureKinds[candidate.failure.kind] = (result.failureKinds[candidate.failure.kind] ?? 0) + 1
        report()
      }),
    )
  }

  // A fixed pool of workers pulling from one queue: the engines also limit concurrency per host.
  let next = 0
  const workers = Array.from({ length: Math.min(spec.concurrency, tasks.length) }, async () => {
    while (next < tasks.length && !context.signal.aborted) await runTask(tasks[next++]!)
  })
  await Promise.all(workers)
  await recorder.finish()
  await Promise.all(recorded)
  context.signal.throwIfAborted()
  return result
}
