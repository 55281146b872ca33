// Everything the data-mix family shows for one training snapshot, in one call: the strongest single predictor
// of collapse is what the training set is made of, and Winnow's provenance already knows it.
import { syntheticDepthHistogram } from './depth-histogram'
import type { DepthHistogram } from './depth-histogram'
import { freshHumanShare } from './fresh-human'
import { realDataRetained, realFraction } from './real-data'
import type { RealDataRetained, RealFraction } from './real-data'
import { temperatureMix } from './temperature-mix'
import type { TemperatureMix } from './temperature-mix'
import { countWords } from './training-item'
import type { TokenCounter, TrainingItem } from './training-item'

export interface DataMix {
  items: number
  realDataRetained: RealDataRetained
  realFraction: RealFraction
  depth: DepthHistogram
  freshHumanShare: number | null
  temperature: TemperatureMix
}

export function summarizeDataMix(
  items: readonly TrainingItem[],
  originalHumanIds: readonly string[],
  countTokens: TokenCounter = countWords,
): DataMix {
  return {
    items: items.length,
    realDataRetained: realDataRetained(items, originalHumanIds),
    realFraction: realFraction(items, countTokens),
    depth: syntheticDepthHistogram(items, countTokens),
    freshHumanShare: freshHumanShare(items, originalHumanIds),
    temperature: temperatureMix(items),
  }
}

/**
 * The mix of a model trained on human data only: every original kept, real fraction 1, nothing synthetic.
 * It stands in for generation 0 when Winnow did not export its training set (a base model), which is what the
 * literature's generation 0 is — so the first fine-tune's data mix is graded against human data.
 */
export const humanOnlyMix: DataMix = {
  items: 0,
  realDataRetained: { originals: 0, retained: 0, retainedShare: 1, isAllRetained: true },
  realFraction: { realCount: 0, realTokens: 0, totalTokens: 0, realFraction: 1 },
  depth: { bins: [], massAtDepth2Plus: 0 },
  freshHumanShare: null,
  temperature: { syntheticItems: 0, bins: [], belowOneShare: null, aboveOneShare: null },
}
