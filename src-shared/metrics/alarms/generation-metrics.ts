// What the alarms read for one model generation: the text report always; confidence, held-out likelihood and
// the training snapshot's data mix when the generation has them. Generation 0 is the baseline for all of them.
import type { ConfidenceSummary } from '../confidence/confidence-summary'
import type { DataMix } from '../mix/data-mix'
import type { TextMetricReport } from '../text/report'
import type { FamilyState, Signal } from './signal'

export interface HeldOutLikelihood {
  /** Perplexity of the frozen human reference under this generation (referencePerplexity). */
  perplexity: number | null
  /** Share of reference tokens with log p < −10 (forgottenShare). */
  forgottenShare: number | null
}

export interface GenerationMetrics {
  /** Computed against the same reference at the same token budget as generation 0's. */
  text: TextMetricReport
  confidence?: ConfidenceSummary | null
  heldOut?: HeldOutLikelihood | null
  /** The data mix of the training set that produced this generation. */
  mix?: DataMix | null
}

export const families = ['tails', 'modeConcentration', 'errors', 'dataMix'] as const
export type Family = (typeof families)[number]

export interface FamilyAssessment {
  family: Family
  state: FamilyState
  /** One plain sentence: what the state means and what to do. */
  sentence: string
  /** Every signal measured for this family, worst first. */
  signals: Signal[]
}

/** Keeps the measured signals, worst first: by state, then by how far past its threshold each one is. */
export function measured(signals: readonly (Signal | null)[]): Signal[] {
  const rank = { alarm: 2, watch: 1, healthy: 0 }
  return signals
    .filter((signal): signal is Signal => signal !== null)
    .sort((a, b) => rank[b.state] - rank[a.state] || b.severity - a.severity)
}
