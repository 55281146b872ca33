// The data-mix family, from the provenance of the training set behind a generation: the strongest single
// predictor of collapse is whether the human originals are still in it (COLLAPSE.md).
import type { DataMix } from '../mix/data-mix'
import type { FamilyAssessment, GenerationMetrics } from './generation-metrics'
import { measured } from './generation-metrics'
import { describeSignal, gradeSignal } from './signal'
import { DEPTH_2_PLUS_MASS, REAL_DATA_RETAINED, REAL_FRACTION } from './thresholds'

export function assessDataMix(base: GenerationMetrics, current: GenerationMetrics): FamilyAssessment | null {
  const [b, c] = [base.mix, current.mix]
  if (b === null || b === undefined || c === null || c === undefined) return null
  return assessMix(b, c)
}

/**
 * The family from the two training mixes alone: it needs no probe, so the monitor grades a generation's
 * training set as soon as the generation is registered with it.
 */
export function assessMix(b: DataMix, c: DataMix): FamilyAssessment | null {
  const retained = c.realDataRetained
  const signals = measured([
    gradeSignal(
      'realDataRetained.retainedShare',
      'share of human originals kept',
      b.realDataRetained.retainedShare,
      retained.retainedShare,
      REAL_DATA_RETAINED,
    ),
    gradeSignal(
      'realFraction',
      'real fraction of training tokens',
      b.realFraction.realFraction,
      c.realFraction.realFraction,
      REAL_FRACTION,
    ),
    gradeSignal(
      'depth.massAtDepth2Plus',
      'training mass at synthetic depth ≥ 2',
      b.depth.massAtDepth2Plus,
      c.depth.massAtDepth2Plus,
      DEPTH_2_PLUS_MASS,
    ),
  ])
  const worst = signals[0]
  if (worst === undefined) return null
  const kept = `${retained.retained} of ${retained.originals} human originals kept`
  const sentence =
    worst.metric === 'realDataRetained.retainedShare' && worst.state !== 'healthy'
      ? worst.state === 'alarm'
        ? `The last training set dropped the human originals (${kept}): this is the replace regime — keep every human original.`
        : `The last training set left out some human originals (${kept}): keep every one of them, or the next step is the replace regime.`
      : {
          healthy: `Training mix sound — ${describeSignal(worst)}; nothing to do.`,
          watch: `Training mix drifting towards synthetic data — ${describeSignal(worst)}: the originals are kept, but add fresh human-written or heavily edited data.`,
          // Only retention has a finite alarm threshold, so this entry is there for completeness of the type.
          alarm: `Training mix unsafe — ${describeSignal(worst)}: keep every human original and add fresh human data.`,
        }[worst.state]
  return { family: 'dataMix', state: worst.state, sentence, signals }
}
