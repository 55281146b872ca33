// Where a metric series lands in an SVG chart: one small pure layout shared by the dashboard's chart
// component and the standalone HTML report. Hand-made SVG rather than a chart library: a few lines and
// dots per metric do not need one, and the same markup must work in a file opened without any script.
import type { MetricSeries } from './report-series'

export interface ChartBox {
  width: number
  height: number
  /** Room for the axis labels. */
  left: number
  bottom: number
  top: number
  right: number
}

export const defaultBox: ChartBox = { width: 320, height: 160, left: 48, bottom: 24, top: 10, right: 24 }

export interface ChartGeometry {
  line: string
  /** The band's polygon, or null when no point has one. */
  band: string | null
  baselineY: number | null
  dots: { x: number; y: number; generation: number; value: number }[]
  yTicks: { y: number; value: number }[]
  xTicks: { x: number; generation: number }[]
}

const round = (value: number) => Math.round(value * 10) / 10

export function chartGeometry(series: MetricSeries, box: ChartBox = defaultBox): ChartGeometry {
  const values = series.points.flatMap((p) => [p.value, p.low ?? p.value, p.high ?? p.value])
  if (series.base !== null) values.push(series.base)
  let min = Math.min(...values)
  let max = Math.max(...values)
  if (max - min < 1e-9) {
    const pad = Math.abs(max) * 0.1 || 1
    min -= pad
    max += pad
  }
  const generations = series.points.map((p) => p.generation)
  const first = Math.min(...generations)
  const last = Math.max(...generations)
  const plotWidth = box.width - box.left - box.right
  const plotHeight = box.height - box.top - box.bottom
  const x = (generation: number) =>
    round(box.left + (last === first ? plotWidth / 2 : ((generation - first) / (last - first)) * plotWidth))
  const y = (value: number) => round(box.top + (1 - (value - min) / (max - min)) * plotHeight)
  const dots = series.points.map((p) => ({
    x: x(p.generation),
    y: y(p.value),
    generation: p.generation,
    value: p.value,
  }))
  const banded = series.points.filter((p) => p.low !== null && p.high !== null)
  const band =
    banded.length === 0
      ? null
      : [
          ...banded.map((p) => `${x(p.generation)},${y(p.high!)}`),
          ...banded.reverse().map((p) => `${x(p.generation)},${y(p.low!)}`),
        ].join(' ')
  return {
    line: dots.map((d, i) => `${i === 0 ? 'M' : 'L'}${d.x} ${d.y}`).join(' '),
    band,
    baselineY: series.base === null ? null : y(series.base),
    dots,
    yTicks: [min, (min + max) / 2, max].map((value) => ({ y: y(value), value })),
    xTicks: [...new Set(generations)].map((generation) => ({ x: x(generation), generation })),
  }
}

/** A short figure for axis labels and tooltips. */
export function formatFigure(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude >= 1000) return value.toExponential(2)
  if (magnitude >= 100) return value.toFixed(0)
  if (magnitude >= 1) return value.toFixed(2)
  return value.toFixed(3)
}
