// The sampling temperatures behind a snapshot's model-written items. Training on samples drawn at T < 1
// sharpens the next model towards the mode; T = 1 is the neutral point; T > 1 flattens.
import { isReal } from './training-item'
import type { TrainingItem } from './training-item'

export interface TemperatureBin {
  /** null collects model items whose temperature was not recorded. */
  temperature: number | null
  items: number
  share: number
}

export interface TemperatureMix {
  /** Model-written (non-human) items considered. */
  syntheticItems: number
  /** Recorded temperatures ascending, then unrecorded. */
  bins: TemperatureBin[]
  /** Shares of synthetic items sampled below and above T = 1; null without synthetic items. */
  belowOneShare: number | null
  aboveOneShare: number | null
}

export function temperatureMix(items: readonly TrainingItem[]): TemperatureMix {
  const synthetic = items.filter((item) => !isReal(item))
  const counts = new Map<number | null, number>()
  for (const item of synthetic) counts.set(item.temperature, (counts.get(item.temperature) ?? 0) + 1)
  const n = synthetic.length
  const order = (t: number | null) => (t === null ? Infinity : t)
  const count = (test: (t: number) => boolean) =>
    synthetic.filter((item) => item.temperature !== null && test(item.temperature)).length
  return {
    syntheticItems: n,
    bins: [...counts]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([temperature, items]) => ({ temperature, items, share: items / n })),
    belowOneShare: n === 0 ? null : count((t) => t < 1) / n,
    aboveOneShare: n === 0 ? null : count((t) => t > 1) / n,
  }
}
