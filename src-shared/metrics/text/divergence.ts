// Unigram Jensen–Shannon divergence between samples and reference (rises as the samples' word use drifts
// from human text) and unigram entropy (falls late under collapse; reported, not alarmed on alone).
import type { TokenTexts } from './budget'

const log2 = (x: number): number => Math.log(x) / Math.LN2

/**
 * JSD in bits, in [0, 1]: ½ KL(P‖M) + ½ KL(Q‖M), M = (P + Q)/2, for two count (or probability) vectors
 * over the same outcomes; each is normalised here. Each outcome's two terms are added together before the
 * sum, so swapping P and Q gives the same bits exactly. Null when either side is all zero.
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number | null {
  const sp = p.reduce((a, b) => a + b, 0)
  const sq = q.reduce((a, b) => a + b, 0)
  if (sp <= 0 || sq <= 0) return null
  let sum = 0
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    const a = (p[i] ?? 0) / sp
    const b = (q[i] ?? 0) / sq
    const m = (a + b) / 2
    sum += (a > 0 ? a * log2(a / m) : 0) + (b > 0 ? b * log2(b / m) : 0)
  }
  // Rounding can leave the sum a hair outside [0, 2].
  return Math.min(1, Math.max(0, sum / 2))
}

function unigramCounts(texts: TokenTexts): Map<string, number> {
  const counts = new Map<string, number>()
  for (const tokens of texts) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1)
  return counts
}

/** JSD between the unigram distributions of two token sets (aligned on the union of their types). */
export function unigramJsd(samples: TokenTexts, reference: TokenTexts): number | null {
  const a = unigramCounts(samples)
  const b = unigramCounts(reference)
  // Sorted types, so the float sum runs in one order whatever the input order.
  const types = [...new Set([...a.keys(), ...b.keys()])].sort()
  return jensenShannon(
    types.map((t) => a.get(t) ?? 0),
    types.map((t) => b.get(t) ?? 0),
  )
}

/** Shannon entropy in bits of the unigram distribution; null for no tokens. */
export function unigramEntropy(texts: TokenTexts): number | null {
  const counts = [...unigramCounts(texts).values()].sort((x, y) => x - y)
  const total = counts.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  let h = 0
  for (const c of counts) h -= (c / total) * log2(c / total)
  return Math.max(0, h)
}
