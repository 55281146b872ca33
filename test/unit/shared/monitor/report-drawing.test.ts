// The report's drawing: chart layout (flat series, bands, the baseline inside the plot) and the standalone
// HTML, which must escape every text that came from the project and carry no script.
import { describe, expect, it } from 'vitest'
import { humanOnlyMix } from '@shared/metrics/mix/data-mix'
import { chartGeometry, defaultBox } from '@shared/monitor/chart-geometry'
import type { CollapseReport } from '@shared/monitor/collapse-report'
import { collapseReportHtml } from '@shared/monitor/report-html'
import type { MetricSeries } from '@shared/monitor/report-series'

const series = (values: number[], band = false): MetricSeries => ({
  key: 'heldOut.perplexity',
  label: 'Held-out perplexity',
  family: 'errors',
  direction: 'rise',
  base: values[0] ?? null,
  points: values.map((value, generation) => ({
    generation,
    label: `g${generation}`,
    value,
    low: band ? value * 0.8 : null,
    high: band ? value * 1.2 : null,
  })),
})

describe('chartGeometry', () => {
  it('keeps every point, band and the baseline inside the plot', () => {
    const g = chartGeometry(series([2.76, 22.5, 40], true))
    const ys = [...g.dots.map((d) => d.y), g.baselineY!]
    for (const y of ys) {
      expect(y).toBeGreaterThanOrEqual(defaultBox.top)
      expect(y).toBeLessThanOrEqual(defaultBox.height - defaultBox.bottom)
    }
    expect(g.dots.map((d) => d.x)).toEqual([defaultBox.left, 172, defaultBox.width - defaultBox.right])
    // Higher values sit higher on screen (smaller y).
    expect(g.dots[2]!.y).toBeLessThan(g.dots[0]!.y)
    expect(g.band!.split(' ')).toHaveLength(6)
    expect(g.line.startsWith('M')).toBe(true)
  })

  it('draws a flat series and a single generation without dividing by zero', () => {
    const flat = chartGeometry(series([5, 5]))
    expect(flat.dots.every((d) => Number.isFinite(d.y) && d.y === flat.dots[0]!.y)).toBe(true)
    const single = chartGeometry(series([3]))
    expect(Number.isFinite(single.dots[0]!.x)).toBe(true)
    expect(single.band).toBeNull()
  })
})

describe('collapseReportHtml', () => {
  it('escapes project text and has no script', () => {
    const report: CollapseReport = {
      builtAt: '2026-12-06T00:00:00Z',
      sets: null,
      probePrompts: [],
      tokenBudget: null,
      generations: [],
      verdict: 'healthy',
      isMixBaselineHumanOnly: true,
      mixBaseline: humanOnlyMix,
      embeddingModel: null,
      embeddingNote: null,
      nextStep: 'Register <generation 0>',
    }
    const html = collapseReportHtml(report, '<img src=x onerror=alert(1)>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('Register &lt;generation 0&gt;')
    expect(html).not.toContain('<script')
  })
})
