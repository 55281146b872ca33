// A training set's data mix in words, one line per metric: what the dashboard's data-mix panel lists and the
// exported HTML report repeats, so both say the same thing.
import type { DataMix } from '../metrics/mix/data-mix'

export interface MixFigure {
  key: string
  label: string
  value: string
}

const percent = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(1)} %`)

export function mixFigures(mix: DataMix): MixFigure[] {
  const { realDataRetained: kept, realFraction: real, depth, temperature } = mix
  const depths = depth.bins
    .map((b) => `${b.depth === null ? 'unknown' : b.depth}: ${b.items} (${percent(b.tokenShare)})`)
    .join(', ')
  const temperatures = temperature.bins
    .map((b) => `T ${b.temperature === null ? 'not recorded' : b.temperature}: ${b.items}`)
    .join(', ')
  return [
    {
      key: 'realDataRetained',
      label: 'Human originals kept',
      value:
        kept.retainedShare === null
          ? 'no human originals to keep'
          : `${kept.retained} of ${kept.originals} (${percent(kept.retainedShare)})`,
    },
    {
      key: 'realFraction',
      label: 'Real fraction (tokens)',
      value: `${percent(real.realFraction)} — ${real.realCount} human texts of ${mix.items}`,
    },
    {
      key: 'depth',
      label: 'Synthetic depth (items, token share)',
      value: `${depths === '' ? '—' : depths}; depth ≥ 2: ${percent(depth.massAtDepth2Plus)}`,
    },
    {
      key: 'freshHumanShare',
      label: 'Fresh human share',
      value: `${percent(mix.freshHumanShare)} (human texts new to the lineage, or edited by more than 30 %)`,
    },
    {
      key: 'temperature',
      label: 'Sampling temperature of model texts',
      value:
        temperature.syntheticItems === 0
          ? 'no model-written texts'
          : `${temperatures}; below 1: ${percent(temperature.belowOneShare)}, above 1: ${percent(temperature.aboveOneShare)}`,
    },
  ]
}
