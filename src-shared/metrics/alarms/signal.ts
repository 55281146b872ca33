// One alarm signal: a metric of generation t compared with generation 0 under a rule (direction, relative or
// absolute change, watch and alarm thresholds), graded healthy / watch / alarm. Families are built from these.

export type FamilyState = 'healthy' | 'watch' | 'alarm'

const rank: Record<FamilyState, number> = { healthy: 0, watch: 1, alarm: 2 }

/** The worse of the states; healthy for none (a family with nothing against it). */
export const worstState = (states: Iterable<FamilyState>): FamilyState => {
  let worst: FamilyState = 'healthy'
  for (const state of states) if (rank[state] > rank[worst]) worst = state
  return worst
}

export interface Rule {
  /** Which way the metric moves under collapse. */
  direction: 'drop' | 'rise'
  /**
   * relative: (current − base) / base, for metrics whose level depends on the data (budget, vocabulary);
   * absolute: current − base, for shares in [0, 1] whose baseline is often near 0 (a ratio would explode).
   */
  scale: 'relative' | 'absolute'
  /** Change in the collapse direction at which the signal says watch, and alarm (both ≥ 0, watch ≤ alarm). */
  watch: number
  alarm: number
}

export interface Signal {
  /** Stable key, e.g. `tailRecall.types`. */
  metric: string
  /** Human name used in sentences, e.g. "tail recall of types". */
  label: string
  base: number
  current: number
  scale: Rule['scale']
  /** Signed change as the rule measures it (relative fraction or absolute difference). */
  change: number
  /**
   * Change towards collapse over the rule's alarm threshold (over watch when alarm is unreachable): compares
   * signals of different scales, so the sentence quotes the one furthest past its threshold.
   */
  severity: number
  state: FamilyState
}

/** Grades a metric against generation 0; null when either value is missing or a relative base is not > 0. */
export function gradeSignal(
  metric: string,
  label: string,
  base: number | null | undefined,
  current: number | null | undefined,
  rule: Rule,
): Signal | null {
  if (base === null || base === undefined || current === null || current === undefined) return null
  if (!Number.isFinite(base) || !Number.isFinite(current)) return null
  if (rule.scale === 'relative' && !(base > 0)) return null
  const change = rule.scale === 'relative' ? (current - base) / base : current - base
  const towardsCollapse = rule.direction === 'drop' ? -change : change
  // A tiny epsilon so that a change computed as 0.25 − 1e-16 from decimal inputs still meets a 0.25 threshold.
  const meets = (threshold: number) => towardsCollapse >= threshold - 1e-12
  const state: FamilyState = meets(rule.alarm) ? 'alarm' : meets(rule.watch) ? 'watch' : 'healthy'
  const yardstick = Number.isFinite(rule.alarm) && rule.alarm > 0 ? rule.alarm : rule.watch
  const severity = yardstick > 0 ? towardsCollapse / yardstick : towardsCollapse
  return { metric, label, base, current, scale: rule.scale, change, severity, state }
}

const figure = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3)

/** "tail recall of types down 35 % since generation 0 (0.591 → 0.382)". */
export function describeSignal(signal: Signal): string {
  const way = signal.change < 0 ? 'down' : 'up'
  const magnitude = Math.abs(signal.change)
  const change = signal.scale === 'relative' ? `${(magnitude * 100).toFixed(0)} %` : figure(magnitude)
  return `${signal.label} ${way} ${change} since generation 0 (${figure(signal.base)} → ${figure(signal.current)})`
}
