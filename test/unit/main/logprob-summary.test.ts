// The summary's truncated entropy is computed in one pass (ln mass − Σ p ln p / mass); it must equal the
// textbook two-pass form over the renormalised alternatives, and stay ≥ 0.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { summariseLogprobs } from '../../../src-main/services/generation/logprob-summary'

function naiveEntropy(alternatives: number[]): number {
  const ps = alternatives.map((l) => Math.exp(l))
  const mass = ps.reduce((a, b) => a + b, 0)
  return Math.max(0, -ps.map((p) => p / mass).reduce((h, q) => (q > 0 ? h + q * Math.log(q) : h), 0))
}

describe('summariseLogprobs', () => {
  it('matches the two-pass entropy, the mean logprob and the mean top-1 probability', () => {
    const logprob = fc.double({ min: -30, max: 0, noNaN: true })
    fc.assert(
      fc.property(
        fc.array(fc.array(logprob, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }),
        (rows) => {
          const columns = {
            tokens: rows.map((_, i) => `t${i}`),
            logprobs: rows.map((alts) => alts[0]!),
            topTokens: rows.map((alts) => alts.map((_, j) => `a${j}`)),
            topLogprobs: rows,
          }
          const summary = summariseLogprobs(columns)!
          const entropy = rows.map(naiveEntropy).reduce((a, b) => a + b, 0) / rows.length
          expect(summary.meanTruncatedEntropy).toBeCloseTo(entropy, 9)
          expect(summary.meanTruncatedEntropy).toBeGreaterThanOrEqual(0)
          expect(summary.meanLogprob).toBeCloseTo(rows.reduce((a, alts) => a + alts[0]!, 0) / rows.length, 9)
          const top1 = rows.map((alts) => Math.min(1, Math.max(...alts.map(Math.exp))))
          expect(summary.meanTop1Probability).toBeCloseTo(top1.reduce((a, b) => a + b, 0) / rows.length, 9)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('has nothing to summarise without tokens', () => {
    expect(summariseLogprobs({ tokens: [], logprobs: [], topTokens: [], topLogprobs: [] })).toBeNull()
  })
})
