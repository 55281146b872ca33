// The collapse monitor's report, built from what the log holds: every probed generation's metrics against
// generation 0 (text metrics at one common token budget, confidence, held-out likelihood with a bootstrap
// band), the families graded by assessGenerations, and what to do next when something is missing. Pure:
// main serves it, the dashboard draws it, and the exported JSON and HTML are this same object.
import type { EmbeddingModel, FrozenSets, ModelGenerationRecord, ProbeResult } from '../domain/monitor'
import { centroidDistance } from '../metrics/embeddings/embedding-summary'
import type { GenerationAssessment } from '../metrics/alarms/assess'
import { assessGenerations } from '../metrics/alarms/assess'
import type { GenerationMetrics } from '../metrics/alarms/generation-metrics'
import type { FamilyState } from '../metrics/alarms/signal'
import type { DataMix } from '../metrics/mix/data-mix'
import { commonTokenBudget } from '../metrics/generation-report'
import type { Band } from '../metrics/likelihood/bootstrap-perplexity'
import { bootstrapPerplexity } from '../metrics/likelihood/bootstrap-perplexity'
import { textMetricReport } from '../metrics/text/report'
import type { GenerationDataMix } from './lineage-mix'
import { probeBands } from './metric-bands'
import { lineageMix } from './lineage-mix'
import type { SnapshotTraining } from './snapshot-training'

export interface ReportGeneration {
  id: string
  generation: number
  label: string
  parentId: string | null
  engine: ModelGenerationRecord['engine']
  probedAt: string | null
  modelDigest: string | null
  /** Null until the generation is probed on the frozen sets. */
  metrics: GenerationMetrics | null
  /** Its probe stories scored by generation 0's model (median ↓ under mode sharpening, p95 ↑ as errors grow). */
  baselineScored: ProbeResult['baselineScored']
  /** 90 % bootstrap band of the held-out perplexity over the reference texts. */
  perplexityBand: Band | null
  /**
   * 90 % bands by series key (report-series.ts): likelihood, confidence and generation-0 perplexity with the
   * report; the text metrics once withTextBands has added them (metric-bands.ts).
   */
  bands: Record<string, Band>
  /** Against generation 0; null when either is not probed. */
  assessment: GenerationAssessment | null
  /** The probe's continuations, prompt by prompt, for reading generations side by side. */
  samples: ProbeResult['samples']
  /**
   * Embedding metrics from its probe, when it was given an embedding model. `isCompared` when it was embedded
   * by the report's embedding model (generation 0's), so its figures are charted against generation 0's.
   */
  embedding:
    | (NonNullable<ProbeResult['embedding']> & {
        isCompared: boolean
        /** ‖centroid − generation 0's centroid‖ under the same embedding model; null otherwise. */
        centroidDriftToGeneration0: number | null
      })
    | null
  /** Its training set's data mix and the data-mix family, graded without a probe; null with `dataMixMissing`. */
  dataMix: GenerationDataMix | null
  /** Why there is no data mix (no training snapshot recorded, or not in the log); null when there is one. */
  dataMixMissing: string | null
}

export interface CollapseReport {
  builtAt: string
  sets: { setsId: string; probes: number; references: number; settings: FrozenSets['settings'] } | null
  /** The frozen probe prompts, in probe order. */
  probePrompts: { sampleId: string; text: string }[]
  /** Tokens per side for every generation's text metrics. */
  tokenBudget: number | null
  generations: ReportGeneration[]
  /** The latest assessed generation's verdict. */
  verdict: FamilyState
  /** Generation 0 has no training snapshot, so the data mix is graded against human-only data. */
  isMixBaselineHumanOnly: boolean
  /** The mix every training set is graded against: generation 0's, or the human-only mix. */
  mixBaseline: DataMix
  /** The embedding model the charts compare by (generation 0's, else the latest probe's); null when none. */
  embeddingModel: EmbeddingModel | null
  /** What to do for embedding metrics when no probe has them (or they failed); null when they are shown. */
  embeddingNote: string | null
  /** The next step when the report is not complete yet, in words; null when every generation is probed. */
  nextStep: string | null
}

export interface ReportInputs {
  generations: readonly ModelGenerationRecord[]
  sets: FrozenSets | null
  probes: ReadonlyMap<string, ProbeResult>
  referenceTexts: readonly string[]
  probePrompts: readonly { sampleId: string; text: string }[]
  /** The train split of each training snapshot the generations name, by snapshot id. */
  trainings?: ReadonlyMap<string, SnapshotTraining>
  builtAt: string
}

function nextStepFor(inputs: ReportInputs, baseline: ModelGenerationRecord | undefined): string | null {
  if (inputs.generations.length === 0)
    return 'Register generation 0 (the model before any fine-tuning on its own output), then each later one.'
  if (inputs.sets === null)
    return 'Freeze the probe and reference sets: human samples that are kept out of every training export.'
  if (baseline === undefined || !inputs.probes.has(baseline.id))
    return 'Probe generation 0 first: every other generation is compared with it.'
  const waiting = inputs.generations.filter((g) => !inputs.probes.has(g.id))
  if (waiting.length > 0)
    return `Probe ${waiting.map((g) => g.label).join(', ')} to compare it with generation 0.`
  if (inputs.generations.length === 1)
    return 'Register and probe a later generation to compare it with generation 0.'
  return null
}

const sameModel = (a: EmbeddingModel, b: EmbeddingModel) =>
  a.engine === b.engine && a.model === b.model && (a.host ?? '') === (b.host ?? '')

const embeddingSetupHint =
  'Choose an embedding model under “Probe with embeddings” (an Ollama embedding model such as ' +
  'nomic-embed-text on a local host, or a GGUF embedding model file) and probe the generations again.'

function embeddingView(lineage: readonly ModelGenerationRecord[], probes: ReadonlyMap<string, ProbeResult>) {
  const embedded = lineage.flatMap((g) => {
    const e = probes.get(g.id)?.embedding
    return e === null || e === undefined ? [] : [{ g, e }]
  })
  const baseline = embedded.find(({ g, e }) => g.generation === 0 && e.summary !== null)
  const model = baseline?.e.model ?? embedded.findLast(({ e }) => e.summary !== null)?.e.model ?? null
  const of = new Map<string, NonNullable<ReportGeneration['embedding']>>()
  for (const { g, e } of embedded) {
    const isCompared = model !== null && e.summary !== null && sameModel(model, e.model)
    const drift =
      isCompared && baseline !== undefined && baseline.e.summary !== null && e.summary !== null
        ? centroidDistance(e.summary.centroid, baseline.e.summary.centroid)
        : null
    of.set(g.id, { ...e, isCompared, centroidDriftToGeneration0: drift })
  }
  const failed = embedded.filter(({ e }) => e.error !== null)
  const note = embedded.some(({ e }) => e.summary !== null)
    ? null
    : failed.length > 0
      ? `Embedding failed (${failed.at(-1)!.e.error}). ${embeddingSetupHint}`
      : `No embedding model is configured, so Vendi, pairwise distance, within-input spread, centroid drift and MAUVE are not measured. ${embeddingSetupHint}`
  return { of, model, note }
}

/** The embedding figures' half-sample bands, under their series keys; none for a generation not compared. */
function embeddingBands(e: ReportGeneration['embedding'] | undefined): Record<string, Band> {
  if (e === undefined || e === null || !e.isCompared || e.summary === null) return {}
  return Object.fromEntries(Object.entries(e.summary.bands).map(([key, band]) => [`embedding.${key}`, band]))
}

export function buildCollapseReport(inputs: ReportInputs): CollapseReport {
  const { sets, probes, referenceTexts } = inputs
  // Lineage order, whatever order they came in: the last one is the latest, whose verdict the report gives.
  const lineage = [...inputs.generations].sort(
    (a, b) => a.generation - b.generation || a.createdAt.localeCompare(b.createdAt),
  )
  const baseline = lineage.find((g) => g.generation === 0)
  const seed = sets?.settings.seed ?? 0
  const probed = lineage.filter((g) => probes.has(g.id))
  // Baseline first: assessGenerations grades everything against its first element.
  const compared =
    baseline !== undefined && probes.has(baseline.id)
      ? [baseline, ...probed.filter((g) => g !== baseline)]
      : []
  const texts = (g: ModelGenerationRecord) => probes.get(g.id)?.samples.map((s) => s.text) ?? []
  const budget =
    compared.length === 0
      ? null
      : commonTokenBudget(
          { file: 'reference', texts: [...referenceTexts] },
          compared.map((g) => ({ file: g.id, texts: texts(g) })),
          seed,
        ).tokens
  const mixes = lineageMix(lineage, inputs.trainings ?? new Map())
  const mixOf = (g: ModelGenerationRecord): GenerationDataMix | null => {
    const entry = mixes.byGeneration.get(g.id)
    return entry === undefined || 'missing' in entry ? null : entry
  }
  const missingOf = (g: ModelGenerationRecord): string | null => {
    const entry = mixes.byGeneration.get(g.id)
    return entry !== undefined && 'missing' in entry ? entry.missing : null
  }
  const metricsOf = new Map<string, GenerationMetrics>()
  for (const g of probed) {
    const probe = probes.get(g.id)!
    metricsOf.set(g.id, {
      text: textMetricReport(texts(g), referenceTexts, { tokenBudget: budget ?? undefined, seed }),
      confidence: probe.confidence,
      heldOut: probe.heldOut && {
        perplexity: probe.heldOut.perplexity,
        forgottenShare: probe.heldOut.forgottenShare,
      },
      // Generation 0 is graded against itself, so its mix is the baseline the others are graded against.
      mix: g === baseline ? mixes.baseline : (mixOf(g)?.mix ?? null),
    })
  }
  const embeddings = embeddingView(lineage, probes)
  const assessments = assessGenerations(compared.map((g) => metricsOf.get(g.id)!))
  const assessmentOf = new Map(compared.map((g, i) => [g.id, assessments[i] ?? null]))
  const generations = lineage.map((g): ReportGeneration => {
    const probe = probes.get(g.id) ?? null
    const assessment = assessmentOf.get(g.id) ?? null
    return {
      id: g.id,
      generation: g.generation,
      label: g.label,
      parentId: g.parentId,
      engine: g.engine,
      probedAt: probe?.probedAt ?? null,
      modelDigest: probe?.modelDigest ?? null,
      metrics: metricsOf.get(g.id) ?? null,
      baselineScored: probe?.baselineScored ?? null,
      perplexityBand: probe?.heldOut ? bootstrapPerplexity(probe.heldOut.references, seed) : null,
      bands: probe === null ? {} : { ...probeBands(probe, seed), ...embeddingBands(embeddings.of.get(g.id)) },
      embedding: embeddings.of.get(g.id) ?? null,
      // The generation number inside an assessment is its place in `compared`; the record's is what counts.
      assessment: assessment && { ...assessment, generation: g.generation },
      samples: probe?.samples ?? [],
      dataMix: mixOf(g),
      dataMixMissing: missingOf(g),
    }
  })
  const assessed = generations.filter((g) => g.assessment !== null)
  return {
    builtAt: inputs.builtAt,
    sets: sets && {
      setsId: sets.setsId,
      probes: sets.probeSampleIds.length,
      references: sets.referenceSampleIds.length,
      settings: sets.settings,
    },
    probePrompts: [...inputs.probePrompts],
    tokenBudget: budget,
    generations,
    verdict: assessed.at(-1)?.assessment?.verdict ?? 'healthy',
    isMixBaselineHumanOnly: mixes.isBaselineHumanOnly,
    mixBaseline: mixes.baseline,
    embeddingModel: embeddings.model,
    embeddingNote: embeddings.note,
    nextStep: nextStepFor(inputs, baseline),
  }
}

/** The report with each generation's text-metric bands added (by generation id); the rest is unchanged. */
export function withTextBands(
  report: CollapseReport,
  textBands: ReadonlyMap<string, Record<string, Band>>,
): CollapseReport {
  return {
    ...report,
    generations: report.generations.map((g) => {
      const bands = textBands.get(g.id)
      return bands === undefined ? g : { ...g, bands: { ...bands, ...g.bands } }
    }),
  }
}
