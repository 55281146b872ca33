// The dashboard's charts as data: for each metric, its value at every probed generation, generation 0's
// value as the baseline, and its 90 % band (metric-bands.ts: bootstrap over the probe's texts). The app's
// charts and the exported HTML are drawn from this one list.
import type { Family, GenerationMetrics } from '../metrics/alarms/generation-metrics'
import type { DataMix } from '../metrics/mix/data-mix'
import type { CollapseReport, ReportGeneration } from './collapse-report'

export interface SeriesPoint {
  generation: number
  label: string
  value: number
  low: number | null
  high: number | null
}

export interface MetricSeries {
  key: string
  label: string
  family: Family
  /** Which way the metric moves under collapse. */
  direction: 'drop' | 'rise'
  base: number | null
  points: SeriesPoint[]
}

type Pick = (m: GenerationMetrics, g: ReportGeneration) => number | null | undefined

const metrics: { key: string; label: string; family: Family; direction: 'drop' | 'rise'; pick: Pick }[] = [
  {
    key: 'heldOut.perplexity',
    label: 'Held-out perplexity',
    family: 'errors',
    direction: 'rise',
    pick: (m) => m.heldOut?.perplexity,
  },
  {
    key: 'heldOut.forgottenShare',
    label: 'Forgotten-token share',
    family: 'errors',
    direction: 'rise',
    pick: (m) => m.heldOut?.forgottenShare,
  },
  {
    key: 'baselineScored.median',
    label: 'Generation-0 perplexity of samples, median',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => g.baselineScored?.median,
  },
  {
    key: 'baselineScored.p95',
    label: 'Generation-0 perplexity of samples, p95',
    family: 'errors',
    direction: 'rise',
    pick: (_, g) => g.baselineScored?.p95,
  },
  {
    key: 'tailRecall.types',
    label: 'Tail recall, types',
    family: 'tails',
    direction: 'drop',
    pick: (m) => m.text.tailRecall.types,
  },
  {
    key: 'tailRecall.bigrams',
    label: 'Tail recall, bigrams',
    family: 'tails',
    direction: 'drop',
    pick: (m) => m.text.tailRecall.bigrams,
  },
  {
    key: 'unigramJsd',
    label: 'Unigram JSD to the reference',
    family: 'tails',
    direction: 'rise',
    pick: (m) => m.text.unigramJsd,
  },
  {
    key: 'lengthDrift.ks',
    label: 'Length drift (KS)',
    family: 'tails',
    direction: 'rise',
    pick: (m) => m.text.lengthDrift.ks,
  },
  {
    key: 'distinct.n2',
    label: 'Distinct-2',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (m) => m.text.distinct.n2,
  },
  {
    key: 'compressionRatio',
    label: 'Compression ratio',
    family: 'modeConcentration',
    direction: 'rise',
    pick: (m) => m.text.compressionRatio,
  },
  {
    key: 'selfBleu4',
    label: 'Self-BLEU-4',
    family: 'modeConcentration',
    direction: 'rise',
    pick: (m) => m.text.selfBleu4,
  },
  {
    key: 'sharedFourGramRate',
    label: 'Shared 4-gram rate',
    family: 'modeConcentration',
    direction: 'rise',
    pick: (m) => m.text.sharedFourGramRate,
  },
  {
    key: 'confidence.meanTruncatedEntropy',
    label: 'Truncated token entropy',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (m) => m.confidence?.meanTruncatedEntropy,
  },
  {
    key: 'confidence.meanTopOneProbability',
    label: 'Top-1 probability',
    family: 'modeConcentration',
    direction: 'rise',
    pick: (m) => m.confidence?.meanTopOneProbability,
  },
  {
    key: 'confidence.selfPerplexity',
    label: 'Self-perplexity of samples',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (m) => m.confidence?.selfPerplexity,
  },
  {
    key: 'embedding.vendi2',
    label: 'Vendi score, order 2 (embeddings)',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.vendi2 : null),
  },
  {
    key: 'embedding.vendi1',
    label: 'Vendi score, order 1 (embeddings)',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.vendi1 : null),
  },
  {
    key: 'embedding.meanPairwiseCosineDistance',
    label: 'Mean pairwise cosine distance',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.meanPairwiseCosineDistance : null),
  },
  {
    key: 'embedding.withinInputSpread',
    label: 'Within-input spread (embeddings)',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.withinInputSpread : null),
  },
  {
    key: 'embedding.centroidDriftToGeneration0',
    label: 'Centroid drift from generation 0',
    family: 'tails',
    direction: 'rise',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.centroidDriftToGeneration0 : null),
  },
  {
    key: 'embedding.centroidDriftToReference',
    label: 'Centroid drift from the reference',
    family: 'tails',
    direction: 'rise',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.centroidDriftToReference : null),
  },
  {
    key: 'embedding.mmd2ToReference',
    label: 'MMD² to the reference (embeddings)',
    family: 'tails',
    direction: 'rise',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.mmd2ToReference : null),
  },
  {
    key: 'embedding.mauve',
    label: 'MAUVE against the reference',
    family: 'modeConcentration',
    direction: 'drop',
    pick: (_, g) => (g.embedding?.isCompared ? g.embedding.summary?.mauve : null),
  },
]

const mixMetrics: {
  key: string
  label: string
  direction: 'drop' | 'rise'
  pick: (m: DataMix) => number | null
}[] = [
  {
    key: 'realDataRetained.retainedShare',
    label: 'Human originals kept in training',
    direction: 'drop',
    pick: (m) => m.realDataRetained.retainedShare,
  },
  {
    key: 'realFraction',
    label: 'Real fraction of training tokens',
    direction: 'drop',
    pick: (m) => m.realFraction.realFraction,
  },
  {
    key: 'depth.massAtDepth2Plus',
    label: 'Training mass at synthetic depth ≥ 2',
    direction: 'rise',
    pick: (m) => m.depth.massAtDepth2Plus,
  },
  {
    key: 'freshHumanShare',
    label: 'Fresh human share of training',
    direction: 'drop',
    pick: (m) => m.freshHumanShare,
  },
]

/**
 * The data-mix metrics over the generations with a training snapshot (probed or not); generation 0's value is
 * the baseline mix. No band: a training set's mix is counted exactly, not estimated from a sample.
 */
function mixSeries(report: CollapseReport): MetricSeries[] {
  const series: MetricSeries[] = []
  for (const { key, label, direction, pick } of mixMetrics) {
    const points = report.generations.flatMap((g) => {
      const value = g.dataMix === null ? null : pick(g.dataMix.mix)
      return value === null || !Number.isFinite(value)
        ? []
        : [{ generation: g.generation, label: g.label, value, low: null, high: null }]
    })
    if (points.length === 0) continue
    series.push({ key, label, family: 'dataMix', direction, base: pick(report.mixBaseline), points })
  }
  return series
}

/** Only metrics with at least one finite value; points in lineage order. */
export function reportSeries(report: CollapseReport): MetricSeries[] {
  const measured = report.generations.filter((g) => g.metrics !== null && g.assessment !== null)
  const series: MetricSeries[] = []
  for (const { key, label, family, direction, pick } of metrics) {
    const points: SeriesPoint[] = []
    for (const g of measured) {
      const value = pick(g.metrics!, g)
      if (value === null || value === undefined || !Number.isFinite(value)) continue
      const band = g.bands[key] ?? (key === 'heldOut.perplexity' ? g.perplexityBand : null)
      points.push({
        generation: g.generation,
        label: g.label,
        value,
        low: band?.low ?? null,
        high: band?.high ?? null,
      })
    }
    if (points.length === 0) continue
    const baseline = measured.find((g) => g.generation === 0)
    const base = baseline ? pick(baseline.metrics!, baseline) : null
    series.push({ key, label, family, direction, base: base ?? null, points })
  }
  return [...series, ...mixSeries(report)]
}
