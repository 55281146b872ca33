// The data-mix family along the lineage: each generation's training snapshot summarised (real data retained,
// real fraction, synthetic depth, fresh human share, temperature mix) and graded against generation 0's mix —
// the human-only mix when Winnow did not export generation 0's training set. Needs no probe.
import type { ModelGenerationRecord } from '../domain/monitor'
import { assessMix } from '../metrics/alarms/data-mix'
import type { FamilyAssessment } from '../metrics/alarms/generation-metrics'
import type { DataMix } from '../metrics/mix/data-mix'
import { humanOnlyMix, summarizeDataMix } from '../metrics/mix/data-mix'
import { freshHumanShare } from '../metrics/mix/fresh-human'
import type { SnapshotTraining } from './snapshot-training'

export interface GenerationDataMix {
  snapshotId: string
  snapshotName: string
  mix: DataMix
  /** Against generation 0's mix (or the human-only mix); null when no signal could be measured. */
  assessment: FamilyAssessment | null
  note: string | null
}

export interface LineageMix {
  /** Generation 0's mix, or the human-only mix it stands for. */
  baseline: DataMix
  /** True when generation 0 has no training snapshot and the human-only mix stands in for it. */
  isBaselineHumanOnly: boolean
  /** Per generation id: its training set's mix, or why there is none. */
  byGeneration: Map<string, GenerationDataMix | { missing: string }>
}

type Generation = Pick<ModelGenerationRecord, 'id' | 'generation' | 'parentId' | 'trainingSnapshotId'>

/**
 * "Real data retained" for generation t counts the human originals of the earlier generations' training sets
 * (its ancestors') together with the human samples its own set drew on (the prompts of its accepted texts):
 * a first fine-tune on model answers to human prompts without the prompts' human texts is the replace regime.
 * Fresh human share counts human originals not in any ancestor's training set, and heavily edited texts.
 */
export function lineageMix(
  generations: readonly Generation[],
  trainings: ReadonlyMap<string, SnapshotTraining>,
): LineageMix {
  const byId = new Map(generations.map((g) => [g.id, g]))
  const ancestorsOf = (g: Generation): Generation[] => {
    const chain: Generation[] = []
    const seen = new Set([g.id])
    for (let p = g.parentId; p !== null;) {
      const parent = byId.get(p)
      if (parent === undefined || seen.has(parent.id)) break
      seen.add(parent.id)
      chain.push(parent)
      p = parent.parentId
    }
    return chain
  }
  const trainingOf = (g: Generation) =>
    g.trainingSnapshotId === null ? undefined : trainings.get(g.trainingSnapshotId)

  const summaries = new Map<string, { training: SnapshotTraining; mix: DataMix }>()
  for (const g of generations) {
    const training = trainingOf(g)
    if (training === undefined) continue
    const earlier = new Set(ancestorsOf(g).flatMap((a) => trainingOf(a)?.keptHumanOriginalIds ?? []))
    const originals = [...new Set([...earlier, ...training.humanSampleIds])]
    const mix = summarizeDataMix(training.items, originals)
    summaries.set(g.id, {
      training,
      mix: { ...mix, freshHumanShare: freshHumanShare(training.items, [...earlier]) },
    })
  }

  const base = generations.find((g) => g.generation === 0)
  const baseSummary = base === undefined ? undefined : summaries.get(base.id)
  const baseline = baseSummary?.mix ?? humanOnlyMix
  const byGeneration = new Map<string, GenerationDataMix | { missing: string }>()
  for (const g of generations) {
    const summary = summaries.get(g.id)
    if (summary !== undefined) {
      byGeneration.set(g.id, {
        snapshotId: summary.training.snapshotId,
        snapshotName: summary.training.snapshotName,
        mix: summary.mix,
        assessment: assessMix(baseline, summary.mix),
        note: summary.training.note,
      })
      continue
    }
    byGeneration.set(g.id, {
      missing:
        g.trainingSnapshotId !== null
          ? 'Its training dataset is not in this project’s log: the data mix cannot be read.'
          : g.generation === 0
            ? 'Generation 0 has no training dataset here: later generations are compared with human-only data.'
            : 'No training dataset is recorded for it: fine-tune it from a Winnow export (or register it with one) to see its data mix.',
    })
  }
  return { baseline, isBaselineHumanOnly: baseSummary === undefined, byGeneration }
}
