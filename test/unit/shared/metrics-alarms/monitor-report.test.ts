// The pure core of `npm run monitor`: JSONL lines to texts with per-line problems, the common token budget
// (smallest distinct-token count, reference included), the report shape the CLI prints, and the table.
import { describe, expect, it } from 'vitest'
import { formatMonitorTable } from '@shared/metrics/alarms/monitor-table'
import { commonTokenBudget, monitorReport, parseTextJsonl } from '@shared/metrics/generation-report'

describe('parseTextJsonl', () => {
  it('keeps string text fields, skips blank lines and reports every other line by its 1-based number', () => {
    const parsed = parseTextJsonl('{"text":"a b"}\r\n\n{"text":3}\n[1]\n{oops\n{"text":"c","id":1}\n')
    expect(parsed.texts).toEqual(['a b', 'c'])
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 4, 5])
    expect(parsed.problems[0]?.message).toBe('no string "text" field')
    expect(parsed.problems[2]?.message).toMatch(/^not JSON/)
  })
})

const reference = { file: 'ref.jsonl', texts: ['the cat sat on the mat', 'a dog ran far away today'] }
const varied = { file: 'g0.jsonl', texts: ['the cat sat', 'a dog ran far', 'birds sing at dawn'] }
// Repeats collapse to one distinct text, so this file has the fewest distinct tokens (3).
const repetitive = { file: 'g1.jsonl', texts: ['the cat sat', 'the cat sat', 'The cat sat.'] }

describe('commonTokenBudget', () => {
  it('is the smallest distinct-token count among the generations and the reference', () => {
    expect(commonTokenBudget(reference, [varied])).toEqual({ file: 'g0.jsonl', tokens: 11 })
    expect(commonTokenBudget(reference, [varied, repetitive])).toEqual({ file: 'g1.jsonl', tokens: 3 })
    expect(commonTokenBudget({ file: 'tiny.jsonl', texts: ['one'] }, [varied])).toEqual({
      file: 'tiny.jsonl',
      tokens: 1,
    })
  })
})

describe('monitorReport', () => {
  it('measures every generation at the common budget and grades later ones against the first', () => {
    const report = monitorReport(reference, [varied, repetitive])
    expect(report.budget).toBe(3)
    expect(report.budgetSource).toBe('smallest file: g1.jsonl')
    expect(report.generations.map((g) => g.metrics.tokenBudget)).toEqual([3, 3])
    expect(report.generations[0]?.verdict).toBe('healthy')
    expect(Object.keys(report.generations[1]?.families ?? {})).toEqual(['tails', 'modeConcentration'])
    // One text in three repeats an earlier one (exact duplicate rate 1/3): far past the +0.05 alarm threshold.
    expect(report.generations[1]?.families.modeConcentration).toBe('alarm')
    expect(report.verdict).toBe(report.generations[1]?.verdict)
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('uses a given budget as is', () => {
    const report = monitorReport(reference, [varied], { budget: 5 })
    expect(report.budget).toBe(5)
    expect(report.budgetSource).toBe('given')
    expect(report.generations[0]?.metrics.tokensUsed.samples).toBe(5)
  })

  it('prints a table with the budget, one column per generation, the states and the verdict', () => {
    const table = formatMonitorTable(monitorReport(reference, [varied, repetitive]))
    expect(table).toContain('Token budget: 3 per side (smallest file: g1.jsonl)')
    expect(table).toMatch(/^\s+gen 0\s+gen 1$/mu)
    expect(table).toMatch(/^mode concentration\s+healthy\s+alarm$/mu)
    expect(table).toContain('First alarm: generation 1.')
    expect(table.trimEnd().endsWith('Verdict: ALARM')).toBe(true)
  })
})
