// The tails family: rare reference words and word pairs that the samples no longer contain, the unigram
// distribution moving away from human text, and text lengths drifting — the first stage of collapse.
import type { FamilyAssessment, GenerationMetrics } from './generation-metrics'
import { measured } from './generation-metrics'
import { describeSignal, gradeSignal } from './signal'
import { LENGTH_KS, TAIL_RECALL_BIGRAMS, TAIL_RECALL_TYPES, UNIGRAM_JSD } from './thresholds'

export function assessTails(base: GenerationMetrics, current: GenerationMetrics): FamilyAssessment | null {
  const [b, c] = [base.text, current.text]
  const signals = measured([
    gradeSignal(
      'tailRecall.types',
      'tail recall of types',
      b.tailRecall.types,
      c.tailRecall.types,
      TAIL_RECALL_TYPES,
    ),
    gradeSignal(
      'tailRecall.bigrams',
      'tail recall of bigrams',
      b.tailRecall.bigrams,
      c.tailRecall.bigrams,
      TAIL_RECALL_BIGRAMS,
    ),
    gradeSignal('unigramJsd', 'unigram JSD to the reference', b.unigramJsd, c.unigramJsd, UNIGRAM_JSD),
    gradeSignal('lengthDrift.ks', 'length KS distance', b.lengthDrift.ks, c.lengthDrift.ks, LENGTH_KS),
  ])
  const worst = signals[0]
  if (worst === undefined) return null
  const state = worst.state
  const evidence = describeSignal(worst)
  const sentence = {
    healthy: `Tails intact — ${evidence}: the samples still use the reference's rare words; nothing to do.`,
    watch: `Tails thinning — ${evidence}: rare human words are starting to go — check that every human original is in the next training set and watch the next generation.`,
    alarm: `Tails lost — ${evidence}: the model no longer produces the reference's rare words, the first stage of collapse — put every human original back into the training set (accumulate, do not replace) before training again.`,
  }[state]
  return { family: 'tails', state, sentence, signals }
}
