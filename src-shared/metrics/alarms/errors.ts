// The errors family: the frozen human reference getting less likely under the new generation (held-out
// perplexity over generation 0's) and reference tokens it now finds nearly impossible. Needs exact likelihood.
import type { FamilyAssessment, GenerationMetrics } from './generation-metrics'
import { measured } from './generation-metrics'
import { describeSignal, gradeSignal } from './signal'
import { FORGOTTEN_SHARE, PERPLEXITY_RATIO } from './thresholds'

export function assessErrors(base: GenerationMetrics, current: GenerationMetrics): FamilyAssessment | null {
  const [b, c] = [base.heldOut, current.heldOut]
  if (b === null || b === undefined || c === null || c === undefined) return null
  const signals = measured([
    // Graded as a relative change of perplexity, which is the ratio to generation 0 minus one.
    gradeSignal('heldOut.perplexity', 'held-out perplexity', b.perplexity, c.perplexity, PERPLEXITY_RATIO),
    gradeSignal(
      'heldOut.forgottenShare',
      'forgotten-token share',
      b.forgottenShare,
      c.forgottenShare,
      FORGOTTEN_SHARE,
    ),
  ])
  const worst = signals[0]
  if (worst === undefined) return null
  const evidence = describeSignal(worst)
  const sentence = {
    healthy: `Held-out human text as likely as at generation 0 — ${evidence}; nothing to do.`,
    watch: `Held-out human text getting less likely — ${evidence}: errors are starting to accumulate — add human data to the next training set and compare the next generation.`,
    alarm: `Held-out human text much less likely — ${evidence}: this generation has forgotten what generation 0 knew — do not build on it; retrain from the last healthy generation with all the human data.`,
  }[worst.state]
  return { family: 'errors', state: worst.state, sentence, signals }
}
