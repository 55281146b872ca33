// Length drift between the samples' and the reference's text lengths (in tokens): Wasserstein-1 (how far,
// in tokens, one distribution must move to match the other) and the Kolmogorov–Smirnov distance (the
// largest gap between the two CDFs). Both rise as generations drift in length.

interface Walk {
  /** CDF gaps |F_a − F_b| just after each distinct value, and the width to the next value. */
  gaps: { gap: number; width: number }[]
}

/** Walks the merged sorted values once; both distances come from the same step function. */
function walk(a: readonly number[], b: readonly number[]): Walk {
  const x = [...a].sort((u, v) => u - v)
  const y = [...b].sort((u, v) => u - v)
  const gaps: Walk['gaps'] = []
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    const value = Math.min(x[i] ?? Number.POSITIVE_INFINITY, y[j] ?? Number.POSITIVE_INFINITY)
    while (i < x.length && x[i] === value) i++
    while (j < y.length && y[j] === value) j++
    const next = Math.min(x[i] ?? Number.POSITIVE_INFINITY, y[j] ?? Number.POSITIVE_INFINITY)
    gaps.push({ gap: Math.abs(i / x.length - j / y.length), width: Number.isFinite(next) ? next - value : 0 })
  }
  return { gaps }
}

/** W1 = ∫ |F_a(t) − F_b(t)| dt for the empirical CDFs; null when either list is empty. */
export function wasserstein1(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null
  return walk(a, b).gaps.reduce((sum, g) => sum + g.gap * g.width, 0)
}

/** KS = sup_t |F_a(t) − F_b(t)| for the empirical CDFs; null when either list is empty. */
export function ksDistance(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null
  return walk(a, b).gaps.reduce((max, g) => Math.max(max, g.gap), 0)
}
