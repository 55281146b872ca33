// The loss curve drawn with the collapse monitor's chart layout (chart-geometry.ts), so both screens'
// charts look and behave alike: the x axis is the step instead of the generation, and training and
// validation losses are separate lines.
import { chartGeometry, type ChartGeometry } from '@shared/monitor/chart-geometry'
import type { MetricSeries } from '@shared/monitor/report-series'
import type { LossPoint } from '@shared/domain/training-run'

export interface LossChart {
  train: ChartGeometry | null
  eval: ChartGeometry | null
  /** Both lines on one scale: the validation points are laid out together with the training points. */
  firstStep: number
  lastStep: number
  lastLoss: number | null
}

function series(points: readonly LossPoint[], phase: LossPoint['phase']): MetricSeries {
  return {
    key: `loss-${phase}`,
    label: phase === 'train' ? 'Training loss' : 'Validation loss',
    // The layout reads only the points and the baseline; a loss is an error measure like perplexity.
    family: 'errors',
    direction: 'rise',
    base: null,
    points: points
      .filter((p) => p.phase === phase && p.loss !== null && Number.isFinite(p.loss))
      .map((p) => ({ generation: p.step, label: `step ${p.step}`, value: p.loss!, low: null, high: null })),
  }
}

export function lossChart(points: readonly LossPoint[]): LossChart {
  const train = series(points, 'train')
  const validation = series(points, 'eval')
  // One scale for both lines: each is laid out over all points, then only its own dots are kept.
  const all: MetricSeries = { ...train, points: [...train.points, ...validation.points] }
  const layout = all.points.length === 0 ? null : chartGeometry(all)
  const pick = (own: MetricSeries): ChartGeometry | null => {
    if (layout === null || own.points.length === 0) return null
    const steps = new Set(own.points.map((p) => `${p.generation}:${p.value}`))
    const dots = layout.dots.filter((d) => steps.has(`${d.generation}:${d.value}`))
    return {
      ...layout,
      dots,
      line: dots.map((d, i) => `${i === 0 ? 'M' : 'L'}${d.x} ${d.y}`).join(' '),
    }
  }
  const steps = all.points.map((p) => p.generation)
  return {
    train: pick(train),
    eval: pick(validation),
    firstStep: steps.length === 0 ? 0 : Math.min(...steps),
    lastStep: steps.length === 0 ? 0 : Math.max(...steps),
    lastLoss: train.points.at(-1)?.value ?? null,
  }
}
