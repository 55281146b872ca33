// The collapse report as one standalone HTML file: the family verdicts and their sentences for every
// generation, and an SVG chart per metric — no script, no external resource, so it opens anywhere. Every
// text from the project is escaped.
import type { Family } from '../metrics/alarms/generation-metrics'
import { families } from '../metrics/alarms/generation-metrics'
import type { CollapseReport } from './collapse-report'
import { chartGeometry, defaultBox, formatFigure } from './chart-geometry'
import { mixFigures } from './mix-figures'
import { reportSeries, type MetricSeries } from './report-series'

export const familyNames: Record<Family, string> = {
  tails: 'Tails',
  modeConcentration: 'Mode concentration',
  errors: 'Errors',
  dataMix: 'Data mix',
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

function chartSvg(series: MetricSeries): string {
  const g = chartGeometry(series)
  const parts = [
    `<svg viewBox="0 0 ${defaultBox.width} ${defaultBox.height}" width="${defaultBox.width}" height="${defaultBox.height}" role="img" aria-label="${escapeHtml(series.label)} by generation">`,
    ...g.yTicks.map(
      (t) =>
        `<text x="${defaultBox.left - 4}" y="${t.y + 3}" text-anchor="end" class="tick">${formatFigure(t.value)}</text>`,
    ),
    ...g.xTicks.map(
      (t) =>
        `<text x="${t.x}" y="${defaultBox.height - 6}" text-anchor="middle" class="tick">gen ${t.generation}</text>`,
    ),
    g.band === null ? '' : `<polygon points="${g.band}" class="band"/>`,
    g.baselineY === null
      ? ''
      : `<line x1="${defaultBox.left}" x2="${defaultBox.width - defaultBox.right}" y1="${g.baselineY}" y2="${g.baselineY}" class="baseline"/>`,
    `<path d="${g.line}" class="line"/>`,
    ...g.dots.map(
      (d) =>
        `<circle cx="${d.x}" cy="${d.y}" r="3.5" class="dot"><title>gen ${d.generation}: ${formatFigure(d.value)}</title></circle>`,
    ),
    '</svg>',
  ]
  return parts.join('')
}

export function collapseReportHtml(report: CollapseReport, projectName: string): string {
  const assessed = report.generations.filter((g) => g.assessment !== null)
  const rows = assessed.map((g) => {
    const items = families
      .map((f) => g.assessment!.families[f])
      .filter((a) => a !== undefined)
      .map(
        (a) =>
          `<li class="${a.state}"><strong>${familyNames[a.family]}: ${a.state.toUpperCase()}</strong> — ${escapeHtml(a.sentence)}</li>`,
      )
    return `<section><h3>Generation ${g.generation}: ${escapeHtml(g.label)} — ${g.assessment!.verdict.toUpperCase()}</h3><ul>${items.join('')}</ul></section>`
  })
  const mixes = report.generations.flatMap((g) => {
    const mix = g.dataMix
    if (g.generation === 0 || mix === null) return []
    const state =
      mix.assessment === null
        ? ''
        : ` — <span class="${mix.assessment.state}">${mix.assessment.state.toUpperCase()}</span>`
    const sentence = mix.assessment === null ? '' : `<p>${escapeHtml(mix.assessment.sentence)}</p>`
    const figures = mixFigures(mix.mix)
      .map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`)
      .join('')
    return [
      `<section><h3>Generation ${g.generation}: ${escapeHtml(g.label)}, dataset “${escapeHtml(mix.snapshotName)}”${state}</h3>${sentence}<dl>${figures}</dl></section>`,
    ]
  })
  const charts = reportSeries(report).map(
    (s) =>
      `<figure><figcaption>${escapeHtml(s.label)} (${s.direction === 'rise' ? 'rises' : 'falls'} under collapse)</figcaption>${chartSvg(s)}</figure>`,
  )
  const budget = report.tokenBudget === null ? '' : ` Text metrics at ${report.tokenBudget} tokens per side.`
  const sets =
    report.sets === null
      ? 'No frozen sets.'
      : `${report.sets.probes} probe prompts × ${report.sets.settings.samplesPerPrompt} samples, ${report.sets.references} reference texts.`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Collapse report — ${escapeHtml(projectName)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
.healthy{color:#1a7f37}.watch{color:#9a6700}.alarm{color:#cf222e}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 1rem}dt{color:#57606a}dd{margin:0}
figure{display:inline-block;margin:0 1rem 1rem 0}figcaption{font-weight:600}
.tick{font-size:10px;fill:#57606a}.line{fill:none;stroke:#0969da;stroke-width:2}.dot{fill:#0969da}
.band{fill:#0969da;opacity:.15}.baseline{stroke:#57606a;stroke-dasharray:4 3}
</style></head><body>
<h1>Collapse report — ${escapeHtml(projectName)}</h1>
<p>Built ${escapeHtml(report.builtAt)}. Verdict for the latest generation: <strong class="${report.verdict}">${report.verdict.toUpperCase()}</strong>. ${sets}${budget}</p>
${report.nextStep === null ? '' : `<p><em>${escapeHtml(report.nextStep)}</em></p>`}
<h2>Families by generation</h2>
${rows.join('\n')}
<h2>Training data mix</h2>
<p>${report.isMixBaselineHumanOnly ? 'Generation 0 has no training dataset here: each mix is compared with human-only data.' : 'Each mix is compared with generation 0’s.'}</p>
${mixes.length === 0 ? '<p>No generation names a training dataset of this project.</p>' : mixes.join('\n')}
<h2>Metrics by generation</h2>
${report.embeddingNote === null ? '' : `<p><em>${escapeHtml(report.embeddingNote)}</em></p>`}
<p>Dashed line: generation 0. Shaded: each metric’s 90 % band from resampling what the probe measured (reference texts for held-out likelihood, continuations for the rest, half-samples for the text metrics). The training mix is counted, not sampled: no band.</p>
${charts.join('\n')}
</body></html>
`
}
