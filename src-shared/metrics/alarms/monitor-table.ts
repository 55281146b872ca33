// The monitor report as a readable plain-text table for a terminal: metrics down, generations across, the
// family states and verdicts below, then the sentences for the latest generation and the first alarm.
import type { MonitorReport } from '../generation-report'
import { families } from './generation-metrics'
import type { Family } from './generation-metrics'
import type { TextMetricReport } from '../text/report'

const familyNames: Record<Family, string> = {
  tails: 'tails',
  modeConcentration: 'mode concentration',
  errors: 'errors',
  dataMix: 'data mix',
}

const rows: [string, (m: TextMetricReport) => number | null][] = [
  ['tokens used', (m) => m.tokensUsed.samples],
  ['distinct-1', (m) => m.distinct.n1],
  ['distinct-2', (m) => m.distinct.n2],
  ['distinct-4', (m) => m.distinct.n4],
  ['tail recall, types', (m) => m.tailRecall.types],
  ['tail recall, bigrams', (m) => m.tailRecall.bigrams],
  ['unigram JSD (bits)', (m) => m.unigramJsd],
  ['length KS', (m) => m.lengthDrift.ks],
  ['length W1 (tokens)', (m) => m.lengthDrift.wasserstein1],
  ['compression ratio', (m) => m.compressionRatio],
  ['self-BLEU-4', (m) => m.selfBleu4],
  ['shared-4-gram rate', (m) => m.sharedFourGramRate],
  ['exact duplicates', (m) => m.exactDuplicateRate],
  ['near duplicates', (m) => m.nearDuplicateRate],
  ['MATTR (shown only)', (m) => m.mattr],
  ['entropy, bits (shown only)', (m) => m.unigramEntropyBits],
]

const cell = (value: number | null): string =>
  value === null ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(3)

export function formatMonitorTable(report: MonitorReport): string {
  const header = ['', ...report.generations.map((_, i) => `gen ${i}`)]
  const body: string[][] = rows.map(([name, pick]) => [
    name,
    ...report.generations.map((g) => cell(pick(g.metrics))),
  ])
  const shown = families.filter((f) => report.generations.some((g) => g.families[f] !== undefined))
  for (const family of shown)
    body.push([familyNames[family], ...report.generations.map((g) => g.families[family] ?? '—')])
  body.push(['VERDICT', ...report.generations.map((g) => g.verdict.toUpperCase())])
  const table = [header, ...body]
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)))
  const lines = table.map((row) =>
    row
      .map((value, column) =>
        column === 0 ? value.padEnd(widths[0] ?? 0) : value.padStart(widths[column] ?? 0),
      )
      .join('  '),
  )
  const files = report.generations.map((g, i) => `  gen ${i}: ${g.file}`)
  const latest = report.generations.at(-1)
  const firstAlarm = report.generations.findIndex((g) => g.verdict === 'alarm')
  return [
    `Reference: ${report.reference.file} (${report.reference.texts} texts)`,
    `Token budget: ${report.budget} per side (${report.budgetSource})`,
    ...files,
    '',
    ...lines,
    '',
    ...(latest === undefined
      ? []
      : [
          `Latest generation (${latest.file}):`,
          ...shown.map((f) => `  ${familyNames[f]}: ${latest.sentences[f] ?? '—'}`),
        ]),
    firstAlarm < 0 ? 'No generation raised an alarm.' : `First alarm: generation ${firstAlarm}.`,
    `Verdict: ${report.verdict.toUpperCase()}`,
  ].join('\n')
}
