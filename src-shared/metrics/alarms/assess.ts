// Alarms for a sequence of generations: each family of each generation graded against generation 0, one
// sentence per family, and a verdict per generation (its worst family). MATTR and unigram entropy move late
// and are shown by the report, never alarmed on (COLLAPSE.md).
import { assessDataMix } from './data-mix'
import { assessErrors } from './errors'
import type { Family, FamilyAssessment, GenerationMetrics } from './generation-metrics'
import { families } from './generation-metrics'
import { assessModeConcentration } from './mode-concentration'
import type { FamilyState } from './signal'
import { worstState } from './signal'
import { assessTails } from './tails'

export interface GenerationAssessment {
  generation: number
  /** Only the families this generation could measure (errors needs likelihood, data mix provenance). */
  families: Partial<Record<Family, FamilyAssessment>>
  /** The worst family state; healthy when no family was measured. */
  verdict: FamilyState
}

const assessors: Record<Family, (b: GenerationMetrics, c: GenerationMetrics) => FamilyAssessment | null> = {
  tails: assessTails,
  modeConcentration: assessModeConcentration,
  errors: assessErrors,
  dataMix: assessDataMix,
}

export function assessGeneration(
  base: GenerationMetrics,
  current: GenerationMetrics,
  generation: number,
): GenerationAssessment {
  const assessed: Partial<Record<Family, FamilyAssessment>> = {}
  for (const family of families) {
    const assessment = assessors[family](base, current)
    if (assessment !== null) assessed[family] = assessment
  }
  const verdict = worstState(Object.values(assessed).map((a) => a.state))
  return { generation, families: assessed, verdict }
}

/** Generation 0 (the first element) is the baseline; it is assessed against itself, so it is healthy. */
export function assessGenerations(generations: readonly GenerationMetrics[]): GenerationAssessment[] {
  const base = generations[0]
  if (base === undefined) return []
  return generations.map((current, generation) => assessGeneration(base, current, generation))
}
