// The probe job: one model generation measured on the frozen sets. Every probe prompt is continued k times
// with fixed decoding (temperature 1, top-k and top-p off, seeds fixed by the sets) and logprobs kept; every
// reference text is scored exactly by the embedded engine. The result is one `monitor.probed` event, so a
// cancelled or failed probe leaves nothing half-recorded and a new probe simply starts over.
import { basename } from 'node:path'
import type {
  EmbeddingModel,
  FrozenSets,
  ModelGenerationRecord,
  ProbeResult,
  ScoredReference,
} from '@shared/domain/monitor'
import { embeddingSummary } from '@shared/metrics/embeddings/embedding-summary'
import { probeTemplateId } from '@shared/domain/monitor'
import type { ConfidenceParts } from '@shared/metrics/confidence/confidence-summary'
import { confidenceParts, poolConfidence } from '@shared/metrics/confidence/confidence-summary'
import { forgottenShare, referencePerplexity } from '@shared/metrics/likelihood/held-out'
import {
  generation0ScoredPerplexity,
  perSamplePerplexities,
} from '@shared/metrics/likelihood/sample-perplexity'
import type { ScoredText } from '@shared/metrics/likelihood/scored-text'
import type { SampleRecord } from '@shared/domain/sample'
import type { Engine, SamplingOptions, ScoringEngine } from '../../engines/engine'
import type { JobContext, JobWorker } from '../jobs/job-runner'
import type { ProjectRegistry } from '../projects/project-registry'
import type { MonitorLog } from './monitor-log'

export interface ProbeParams {
  projectId: string
  generationId: string
  /** The embedding model for the embedding metrics; absent or null: none are computed. */
  embedding?: EmbeddingModel | null
}

export interface ProbeEngines {
  /** What writes the probe continuations: the embedded engine or an Ollama host. */
  generatorFor(generation: ModelGenerationRecord): Engine
  /**
   * Exact likelihood needs the GGUF file in the embedded engine (the generation's own, or the blob behind a
   * local Ollama model); null without one.
   */
  scorerFor(generation: ModelGenerationRecord, signal: AbortSignal): Promise<ScoringEngine | null>
  /** What embeds texts for the embedding metrics: an Ollama host, or the embedded engine with a GGUF file. */
  embedderFor(model: EmbeddingModel): Engine
}

/** Texts per embedding request: a few dozen keeps each request small and the progress moving. */
const EMBED_BATCH = 32
/** Half-samples for the embedding metrics' bands (bounded: each round recomputes Vendi and MMD). */
const EMBEDDING_BAND_ROUNDS = 24

/**
 * The probes' fixed decoding (COLLAPSE.md): the model's own distribution — temperature 1, top-k 0 and top-p 1
 * (the truncating samplers off), a fixed seed — and repeat penalty 1, the neutral value: Ollama penalises
 * repeats by default (1.1), which would bend the very repetition the monitor measures. The Ollama engine sends
 * it as repeat_penalty; the embedded engine evaluates without any penalty already.
 */
export function probeSampling(seed: number, maxTokens: number): SamplingOptions {
  return { temperature: 1, topP: 1, topK: 0, seed, maxTokens, stop: [], repeatPenalty: 1 }
}

const pause = () => new Promise<void>((done) => setImmediate(done))

async function embedAll(
  engine: Engine,
  model: string,
  texts: readonly string[],
  signal: AbortSignal,
  onBatch: (n: number) => void,
) {
  const vectors: Float32Array[] = []
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const batch = texts.slice(i, i + EMBED_BATCH)
    for (const vector of await engine.embed(model, batch, signal)) vectors.push(Float32Array.from(vector))
    onBatch(batch.length)
  }
  return vectors
}

/** log p below this counts a reference token as forgotten (COLLAPSE.md). */
const FORGOTTEN_BELOW = -10

export function createProbeWorker(
  registry: ProjectRegistry,
  log: MonitorLog,
  engines: ProbeEngines,
): JobWorker<ProbeParams> {
  return {
    kind: 'monitor-probe',
    run: async (params, context) => {
      const probe = await runProbe(registry, log, engines, params, context)
      await log.record(params.projectId, [{ kind: 'monitor.probed', data: { probe } }])
      return { samples: probe.samples.length, perplexity: probe.heldOut?.perplexity ?? null }
    },
  }
}

function pick(byId: ReadonlyMap<string, SampleRecord>, ids: readonly string[], role: string): SampleRecord[] {
  return ids.map((id) => {
    const sample = byId.get(id)
    if (sample === undefined)
      throw new Error(
        `The ${role} sample ${id} is no longer in the project log: restore the project from a backup.`,
      )
    return sample
  })
}

async function runProbe(
  registry: ProjectRegistry,
  log: MonitorLog,
  engines: ProbeEngines,
  { projectId, generationId, embedding = null }: ProbeParams,
  context: JobContext,
): Promise<ProbeResult> {
  const fold = await log.fold(projectId)
  const generation = fold.generations.get(generationId)
  if (generation === undefined) throw new Error('That model generation is not registered in this project.')
  const sets: FrozenSets | null = fold.sets
  if (sets === null) throw new Error('Freeze the probe and reference sets before probing a generation.')
  const byId = new Map(
    (await registry.samples(projectId, new Set([...sets.probeSampleIds, ...sets.referenceSampleIds]))).map(
      (s) => [s.id, s],
    ),
  )
  const prompts = pick(byId, sets.probeSampleIds, 'probe')
  const references = pick(byId, sets.referenceSampleIds, 'reference')
  const { samplesPerPrompt, maxTokens, seed, topLogprobs } = sets.settings
  const scorer = await engines.scorerFor(generation, context.signal)
  const baseline = fold.ordered().find((g) => g.generation === 0)
  const baselineScorer = baseline === undefined ? null : await engines.scorerFor(baseline, context.signal)
  // Continuations are written, then scored by generation 0 (when it has a GGUF file), then the references.
  const continuations = prompts.length * samplesPerPrompt
  const total =
    continuations * (baselineScorer === null ? 1 : 2) +
    (scorer === null ? 0 : references.length) +
    (embedding === null ? 0 : continuations + references.length)
  let done = 0
  const report = () => context.report({ unit: 'texts', done, total, counts: {} })

  const generator = engines.generatorFor(generation)
  const model = generation.ollama?.name ?? basename(generation.ggufPath ?? 'model.gguf')
  const samples: ProbeResult['samples'] = []
  const parts: ConfidenceParts[] = []
  let modelDigest: string | null = null
  for (const [i, prompt] of prompts.entries()) {
    for (let j = 0; j < samplesPerPrompt; j++) {
      const sampleSeed = seed + 1000 * i + j
      const result = await generator.generate({
        model,
        prompt: { mode: 'raw', text: prompt.text },
        sampling: probeSampling(sampleSeed, maxTokens),
        logprobs: { topK: topLogprobs },
        think: false,
        signal: context.signal,
      })
      modelDigest ??= result.modelDigest
      samples.push({ probeSampleId: prompt.id, seed: sampleSeed, text: result.text })
      if (result.logprobs) parts.push(confidenceParts(result.logprobs))
      done++
      report()
    }
  }

  let embedded: ProbeResult['embedding'] = null
  if (embedding !== null) {
    const onBatch = (n: number) => {
      done += n
      report()
    }
    try {
      const engine = engines.embedderFor(embedding)
      const vectors = await embedAll(
        engine,
        embedding.model,
        samples.map((s) => s.text),
        context.signal,
        onBatch,
      )
      const referenceVectors = await embedAll(
        engine,
        embedding.model,
        references.map((r) => r.text),
        context.signal,
        onBatch,
      )
      const summary = await embeddingSummary(
        samples.map((s, i) => ({ group: s.probeSampleId, vector: vectors[i]! })),
        referenceVectors,
        { seed, rounds: EMBEDDING_BAND_ROUNDS, pause },
      )
      embedded = { model: embedding, summary, error: null }
    } catch (error) {
      if (context.signal.aborted) throw error
      // A wrong model name must not cost the rest of the probe: the dashboard shows what went wrong.
      embedded = { model: embedding, summary: null, error: (error as Error).message }
      done = 2 * continuations + references.length
      report()
    }
  }

  let baselineScored: ProbeResult['baselineScored'] = null
  if (baselineScorer !== null) {
    const scored: ScoredText[] = []
    for (const sample of samples) {
      const story = `${byId.get(sample.probeSampleId)?.text ?? ''}${sample.text}`
      scored.push((await baselineScorer.scoreText(story, context.signal)).tokens)
      done++
      report()
    }
    const spread = generation0ScoredPerplexity(scored)
    baselineScored = spread && { ...spread, perplexities: perSamplePerplexities(scored) }
  }

  let heldOut: ProbeResult['heldOut'] = null
  if (scorer !== null) {
    const scored: ScoredText[] = []
    const perText: ScoredReference[] = []
    for (const reference of references) {
      const score = await scorer.scoreText(reference.text, context.signal)
      scored.push(score.tokens)
      perText.push({
        sampleId: reference.id,
        tokens: score.tokens.length,
        nll: -score.tokens.reduce((sum, t) => sum + t.logprob, 0),
        forgotten: score.tokens.filter((t) => t.logprob < FORGOTTEN_BELOW).length,
      })
      done++
      report()
    }
    heldOut = {
      perplexity: referencePerplexity(scored),
      forgottenShare: forgottenShare(scored, FORGOTTEN_BELOW),
      references: perText,
    }
  }
  return {
    generationId,
    setsId: sets.setsId,
    jobId: context.jobId,
    modelDigest,
    settings: sets.settings,
    templateId: probeTemplateId,
    samples,
    confidence: poolConfidence(parts),
    confidenceParts: parts,
    heldOut,
    baselineScored,
    embedding: embedded,
    probedAt: new Date().toISOString(),
  }
}
