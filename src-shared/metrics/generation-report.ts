// The text-only monitor report behind `npm run monitor`: plain JSONL files in, every text metric per
// generation at one common token budget, the alarms per family, and a verdict — pure, so a pipeline, the app
// and the tests all get the same figures. File reading and printing stay in scripts/monitor.ts.
import type { GenerationAssessment } from './alarms/assess'
import { assessGenerations } from './alarms/assess'
import type { Family } from './alarms/generation-metrics'
import { families } from './alarms/generation-metrics'
import type { FamilyState } from './alarms/signal'
import { distinctInSeededOrder } from './text/budget'
import type { TextMetricReport } from './text/report'
import { textMetricReport } from './text/report'
import { tokenise } from './text/tokenise'

export interface TextFile {
  file: string
  texts: string[]
}

export interface SignalSummary {
  metric: string
  base: number
  current: number
  change: number
  state: FamilyState
}

export interface GenerationReport {
  file: string
  metrics: TextMetricReport
  families: Partial<Record<Family, FamilyState>>
  sentences: Partial<Record<Family, string>>
  signals: Partial<Record<Family, SignalSummary[]>>
  verdict: FamilyState
}

export interface MonitorReport {
  budget: number
  /** Where the budget came from: "given", or the file with the fewest tokens. */
  budgetSource: string
  reference: { file: string; texts: number }
  generations: GenerationReport[]
  /** The latest generation's verdict: the state of the model a pipeline would build on next. */
  verdict: FamilyState
}

/** Tokens in a file's distinct texts, the most the report can take from it at any budget. */
export function distinctTokenCount(texts: readonly string[], seed = 0): number {
  return distinctInSeededOrder(texts.map(tokenise), seed).reduce((sum, tokens) => sum + tokens.length, 0)
}

/**
 * The largest budget every generation and the reference can meet: the smallest distinct-token count among
 * them. The reference is included because tail recall compares the two sides at the same budget.
 */
export function commonTokenBudget(reference: TextFile, generations: readonly TextFile[], seed = 0) {
  let smallest = { file: reference.file, tokens: distinctTokenCount(reference.texts, seed) }
  for (const generation of generations) {
    const tokens = distinctTokenCount(generation.texts, seed)
    if (tokens < smallest.tokens) smallest = { file: generation.file, tokens }
  }
  return smallest
}

function summarise(assessment: GenerationAssessment) {
  const states: Partial<Record<Family, FamilyState>> = {}
  const sentences: Partial<Record<Family, string>> = {}
  const signals: Partial<Record<Family, SignalSummary[]>> = {}
  for (const family of families) {
    const a = assessment.families[family]
    if (a === undefined) continue
    states[family] = a.state
    sentences[family] = a.sentence
    signals[family] = a.signals.map(({ metric, base, current, change, state }) => ({
      metric,
      base,
      current,
      change,
      state,
    }))
  }
  return { families: states, sentences, signals }
}

export function monitorReport(
  reference: TextFile,
  generations: readonly TextFile[],
  options: { budget?: number; seed?: number } = {},
): MonitorReport {
  const seed = options.seed ?? 0
  const smallest = options.budget === undefined ? commonTokenBudget(reference, generations, seed) : null
  const budget = options.budget ?? smallest?.tokens ?? 0
  const metrics = generations.map((g) =>
    textMetricReport(g.texts, reference.texts, { tokenBudget: budget, seed }),
  )
  const assessments = assessGenerations(metrics.map((text) => ({ text })))
  const reports = generations.map((g, i): GenerationReport => {
    const assessment = assessments[i]
    const metric = metrics[i]
    if (assessment === undefined || metric === undefined) throw new Error(`generation ${i} was not assessed`)
    return { file: g.file, metrics: metric, ...summarise(assessment), verdict: assessment.verdict }
  })
  return {
    budget,
    budgetSource: smallest === null ? 'given' : `smallest file: ${smallest.file}`,
    reference: { file: reference.file, texts: reference.texts.length },
    generations: reports,
    verdict: reports.at(-1)?.verdict ?? 'healthy',
  }
}

export interface JsonlProblem {
  line: number
  message: string
}

/**
 * The `text` field of each JSONL line. Blank lines are skipped silently; a line that is not a JSON object
 * with a string `text` is reported with its 1-based number and skipped, so one bad line does not sink a run.
 */
export function parseTextJsonl(content: string): { texts: string[]; problems: JsonlProblem[] } {
  const texts: string[] = []
  const problems: JsonlProblem[] = []
  content.split(/\r?\n/u).forEach((raw, index) => {
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      problems.push({ line: index + 1, message: `not JSON (${(error as Error).message})` })
      return
    }
    const text = typeof value === 'object' && value !== null ? (value as { text?: unknown }).text : undefined
    if (typeof text === 'string') texts.push(text)
    else problems.push({ line: index + 1, message: 'no string "text" field' })
  })
  return { texts, problems }
}
