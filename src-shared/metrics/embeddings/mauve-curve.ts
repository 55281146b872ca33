// MAUVE's divergence frontier for two histograms over the same buckets (Pillutla et al. 2021): for mixtures
// R_λ = λP + (1−λ)Q the points (exp(−c·KL(Q‖R_λ)), exp(−c·KL(P‖R_λ))), and the area under that curve.

export interface MauveCurveOptions {
  /** c in exp(−c·KL); the authors' default is 5. */
  scaling: number
  /** Number of mixture weights λ, spaced evenly over [1e−6, 1 − 1e−6] as in the reference implementation. */
  mixtureWeights: number
}

export const defaultMauveCurveOptions: MauveCurveOptions = { scaling: 5, mixtureWeights: 25 }

/** KL(a‖b) in nats over buckets with a > 0; b > 0 wherever a > 0 here, since b mixes a in. */
function kl(a: readonly number[], b: readonly number[]): number {
  let total = 0
  a.forEach((ai, i) => {
    if (ai > 0) total += ai * Math.log(ai / (b[i] ?? 0))
  })
  return total
}

/**
 * The divergence curve including its end points (1, 0) at λ → 0 and (0, 1) at λ → 1, as `[x, y]` pairs.
 * `p` and `q` are probability vectors of equal length.
 */
export function divergenceCurve(
  p: readonly number[],
  q: readonly number[],
  options: MauveCurveOptions = defaultMauveCurveOptions,
): [number, number][] {
  const low = 1e-6
  const steps = Math.max(2, options.mixtureWeights)
  const curve: [number, number][] = [[1, 0]]
  for (let s = 0; s < steps; s++) {
    const weight = low + ((1 - 2 * low) * s) / (steps - 1)
    const mixture = p.map((pi, i) => weight * pi + (1 - weight) * (q[i] ?? 0))
    curve.push([Math.exp(-options.scaling * kl(q, mixture)), Math.exp(-options.scaling * kl(p, mixture))])
  }
  curve.push([0, 1])
  return curve
}

/**
 * Trapezoidal area under the curve taken in λ order, as sklearn's `auc` does in the reference code. x falls
 * and y rises along λ, so the signed sum is negated; sorting by x instead would mis-order tied x values.
 */
export function areaUnderCurve(curve: readonly [number, number][]): number {
  let area = 0
  for (let i = 1; i < curve.length; i++) {
    const [x0, y0] = curve[i - 1] ?? [0, 0]
    const [x1, y1] = curve[i] ?? [0, 0]
    area += ((x1 - x0) * (y0 + y1)) / 2
  }
  return Math.abs(area)
}

/** MAUVE of two histograms: 1 for identical ones, near 0 for disjoint supports. */
export function mauveFromHistograms(
  p: readonly number[],
  q: readonly number[],
  options: MauveCurveOptions = defaultMauveCurveOptions,
): number {
  return areaUnderCurve(divergenceCurve(p, q, options))
}
