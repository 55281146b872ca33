// Quantiles with linear interpolation between order statistics (NumPy's default, Hyndman & Fan type 7), so
// a median or p95 shown in Winnow matches one recomputed in a notebook.

/** The q-quantile (q in [0, 1]) of `values`; null when empty. Does not modify `values`. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = values.slice().sort((a, b) => a - b)
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  const low = sorted[lower] ?? Number.NaN
  const high = sorted[upper] ?? Number.NaN
  // Equal neighbours (or ±∞) would give ∞ − ∞ = NaN in the interpolation below.
  if (lower === upper || low === high) return low
  return low + (high - low) * (position - lower)
}
