// Human-review signals for one generation: acceptance, flags by reason, how much reviewers edit, whether they
// rubber-stamp the top candidate, and whether they still accept surprising text. A falling flag rate with
// rising rank-1 picks and zero-edit accepts is rubber-stamping, not health.
import { chosenText, keptText } from './reviewed-sample'
import type { ReviewedSample } from './reviewed-sample'
import { normalisedWordEditDistance } from './word-edit-distance'

export interface ReviewSignals {
  reviewed: number
  accepted: number
  /** Accepted / reviewed. */
  acceptanceRate: number | null
  /** Share of reviewed samples with at least one flag. */
  flagRate: number | null
  /** Per reason, the share of reviewed samples carrying that reason. */
  flagRateByReason: Record<string, number>
  /** Mean normalised word edit distance from the chosen candidate to the kept text, over accepts. */
  meanEditDistance: number | null
  /** Share of accepts kept word for word. */
  zeroEditShare: number | null
  /** Share of accepts (with at least two candidates shown) that took the first one shown. */
  rankOnePickRate: number | null
  /** Share of accepts (with a recorded mean logprob) whose mean logprob is below the surprise threshold. */
  highSurpriseAcceptShare: number | null
}

export interface ReviewSignalOptions {
  /**
   * Mean per-token logprob below which an accepted candidate counts as surprising; −2 is a per-token
   * perplexity above e² ≈ 7.4. Fewer such accepts means reviewers keep only the model's most typical text.
   */
  surpriseBelow: number
}

export const defaultReviewSignalOptions: ReviewSignalOptions = { surpriseBelow: -2 }

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole)

export function reviewSignals(
  samples: readonly ReviewedSample[],
  options: ReviewSignalOptions = defaultReviewSignalOptions,
): ReviewSignals {
  let accepted = 0
  let flagged = 0
  const reasonCounts = new Map<string, number>()
  let editTotal = 0
  let zeroEdits = 0
  let withChoice = 0
  let rankOne = 0
  let withLogprob = 0
  let surprising = 0
  for (const sample of samples) {
    const reasons = new Set(sample.flags)
    if (reasons.size > 0) flagged++
    for (const reason of reasons) reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + 1)
    const chosen = chosenText(sample)
    const kept = keptText(sample)
    if (chosen === null || kept === null) continue
    accepted++
    const edit = normalisedWordEditDistance(chosen, kept)
    editTotal += edit
    if (edit === 0) zeroEdits++
    if (sample.presented.length >= 2) {
      withChoice++
      if (sample.chosenIndex === 0) rankOne++
    }
    if (sample.chosenMeanLogprob !== null && !Number.isNaN(sample.chosenMeanLogprob)) {
      withLogprob++
      if (sample.chosenMeanLogprob < options.surpriseBelow) surprising++
    }
  }
  const reviewed = samples.length
  const flagRateByReason: Record<string, number> = {}
  for (const [reason, count] of [...reasonCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    flagRateByReason[reason] = count / reviewed
  }
  return {
    reviewed,
    accepted,
    acceptanceRate: share(accepted, reviewed),
    flagRate: share(flagged, reviewed),
    flagRateByReason,
    meanEditDistance: share(editTotal, accepted),
    zeroEditShare: share(zeroEdits, accepted),
    rankOnePickRate: share(rankOne, withChoice),
    highSurpriseAcceptShare: share(surprising, withLogprob),
  }
}
