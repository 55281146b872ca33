// The mode-concentration family: the samples repeating themselves (fewer distinct bigrams, more self-BLEU,
// better compression, shared 4-grams, duplicates) and, with logprobs, the model growing over-confident.
import type { FamilyAssessment, GenerationMetrics } from './generation-metrics'
import { measured } from './generation-metrics'
import type { Signal } from './signal'
import { describeSignal, gradeSignal } from './signal'
import {
  CERTAIN_SHARE,
  COMPRESSION_RATIO,
  DISTINCT_2,
  DUPLICATE_RATE,
  SELF_BLEU_4,
  SELF_PERPLEXITY,
  SHARED_FOUR_GRAM,
  TOP_ONE_PROBABILITY,
  TRUNCATED_ENTROPY,
} from './thresholds'

function confidenceSignals(base: GenerationMetrics, current: GenerationMetrics): (Signal | null)[] {
  const [b, c] = [base.confidence, current.confidence]
  if (b === null || b === undefined || c === null || c === undefined) return []
  return [
    gradeSignal(
      'confidence.meanTruncatedEntropy',
      'mean truncated token entropy',
      b.meanTruncatedEntropy,
      c.meanTruncatedEntropy,
      TRUNCATED_ENTROPY,
    ),
    gradeSignal(
      'confidence.meanTopOneProbability',
      'mean top-1 probability',
      b.meanTopOneProbability,
      c.meanTopOneProbability,
      TOP_ONE_PROBABILITY,
    ),
    gradeSignal(
      'confidence.certainShare',
      'share of near-certain tokens',
      b.certainShare,
      c.certainShare,
      CERTAIN_SHARE,
    ),
    gradeSignal(
      'confidence.selfPerplexity',
      'self-perplexity',
      b.selfPerplexity,
      c.selfPerplexity,
      SELF_PERPLEXITY,
    ),
  ]
}

export function assessModeConcentration(
  base: GenerationMetrics,
  current: GenerationMetrics,
): FamilyAssessment | null {
  const [b, c] = [base.text, current.text]
  const signals = measured([
    gradeSignal('distinct.n2', 'distinct-2', b.distinct.n2, c.distinct.n2, DISTINCT_2),
    gradeSignal(
      'compressionRatio',
      'compression ratio',
      b.compressionRatio,
      c.compressionRatio,
      COMPRESSION_RATIO,
    ),
    gradeSignal('selfBleu4', 'self-BLEU-4', b.selfBleu4, c.selfBleu4, SELF_BLEU_4),
    gradeSignal(
      'sharedFourGramRate',
      'shared-4-gram rate',
      b.sharedFourGramRate,
      c.sharedFourGramRate,
      SHARED_FOUR_GRAM,
    ),
    gradeSignal(
      'exactDuplicateRate',
      'exact duplicate rate',
      b.exactDuplicateRate,
      c.exactDuplicateRate,
      DUPLICATE_RATE,
    ),
    gradeSignal(
      'nearDuplicateRate',
      'near-duplicate rate',
      b.nearDuplicateRate,
      c.nearDuplicateRate,
      DUPLICATE_RATE,
    ),
    ...confidenceSignals(base, current),
  ])
  const worst = signals[0]
  if (worst === undefined) return null
  const evidence = describeSignal(worst)
  const sentence = {
    healthy: `Output variety steady — ${evidence}; nothing to do.`,
    watch: `Outputs narrowing — ${evidence}: check that training samples were drawn at temperature 1 (T < 1 sharpens towards the mode) and that curation is not keeping only the favourite phrasing.`,
    alarm: `Mode concentration — ${evidence}: the model repeats itself — train only on samples drawn at temperature 1, keep the human originals, and select for variety, not only for preference.`,
  }[worst.state]
  return { family: 'modeConcentration', state: worst.state, sentence, signals }
}
