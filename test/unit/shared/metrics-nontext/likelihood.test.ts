// Held-out likelihood metrics: golden values from logprobs chosen as powers of two (exact by hand), quantiles
// checked against NumPy's default, and ranges and order invariance as properties.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  forgottenShare,
  perplexityRatio,
  rareTypeNll,
  referencePerplexity,
} from '@shared/metrics/likelihood/held-out'
import { generation0ScoredPerplexity } from '@shared/metrics/likelihood/sample-perplexity'
import { quantile } from '@shared/metrics/likelihood/quantile'
import type { ScoredText } from '@shared/metrics/likelihood/scored-text'

const ln = Math.log
const scored = (...pairs: [string, number][]): ScoredText =>
  pairs.map(([token, logprob]) => ({ token, logprob }))

describe('held-out likelihood, golden values (tolerance 1e-12)', () => {
  it('pools tokens over texts: NLLs ln2, 3ln2, 2ln2 average 2ln2, perplexity 4', () => {
    const texts = [scored(['a', ln(0.5)]), scored(['b', ln(0.125)], ['c', ln(0.25)])]
    expect(referencePerplexity(texts)).toBeCloseTo(4, 12)
    expect(referencePerplexity([])).toBeNull()
  })

  it('gives +∞ when the model rules a reference token out, and skips unscored (NaN) tokens', () => {
    expect(referencePerplexity([scored(['a', -Infinity], ['b', 0])])).toBe(Infinity)
    expect(referencePerplexity([scored(['a', Number.NaN], ['b', ln(0.5)])])).toBeCloseTo(2, 12)
  })

  it('ratio to generation 0: 8 / 4 = 2; none without a usable baseline', () => {
    expect(perplexityRatio(8, 4)).toBe(2)
    expect(perplexityRatio(8, null)).toBeNull()
    expect(perplexityRatio(8, 0)).toBeNull()
  })

  it('forgotten share counts log p strictly below −10: 2 of 4', () => {
    const texts = [scored(['a', -11], ['b', -10]), scored(['c', -0.1], ['d', -20])]
    expect(forgottenShare(texts)).toBe(0.5)
    expect(forgottenShare(texts, -15)).toBe(0.25)
  })

  it('rare-type NLL averages over types seen at most twice: (5 + 2 + 4) / 3', () => {
    const texts = [
      scored(['the', -0.1], ['cat', -5], ['the', -0.1]),
      scored(['sat', -2], ['the', -0.1], ['sat', -4]),
    ]
    expect(rareTypeNll(texts)).toEqual({ types: 2, tokens: 3, meanNll: 11 / 3 })
    expect(rareTypeNll(texts, 1)).toEqual({ types: 1, tokens: 1, meanNll: 5 })
    expect(rareTypeNll([scored(['a', -1], ['a', -1], ['a', -1])])).toBeNull()
  })
})

describe('generation-0-scored perplexity of samples and quantiles', () => {
  it('quantiles interpolate like NumPy: [1, 2, 3, 4] → median 2.5, p95 3.85', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12)
    expect(quantile([4, 1, 3, 2], 0.95)).toBeCloseTo(3.85, 12)
    expect(quantile([], 0.5)).toBeNull()
    expect(quantile([1, Infinity, Infinity], 0.95)).toBe(Infinity)
  })

  it('takes per-sample perplexities 1, 2, 3, 4, 5, 100: median 3.5, p95 5 + 0.75·95 = 76.25', () => {
    const samples = [1, 2, 3, 4, 5, 100].map((p) => scored(['x', -ln(p)], ['y', -ln(p)]))
    const spread = generation0ScoredPerplexity([...samples, []])
    expect(spread?.samples).toBe(6)
    expect(spread?.median).toBeCloseTo(3.5, 9)
    expect(spread?.p95).toBeCloseTo(76.25, 9)
    expect(generation0ScoredPerplexity([[]])).toBeNull()
  })
})

const logprob = fc.double({ min: -30, max: 0, noNaN: true })
const texts = fc.array(
  fc.array(
    fc
      .tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), logprob)
      .map(([token, lp]) => ({ token, logprob: lp })),
    { maxLength: 6 },
  ),
  { minLength: 1, maxLength: 6 },
)

describe('likelihood properties', () => {
  it('perplexity is the geometric mean of 1/p (between the extremes); shares lie in [0, 1]', () => {
    fc.assert(
      fc.property(texts, (set) => {
        const all = set.flat().map((t) => t.logprob)
        const perplexity = referencePerplexity(set)
        const share = forgottenShare(set)
        if (all.length === 0) {
          expect(perplexity).toBeNull()
          return
        }
        expect(perplexity).toBeGreaterThanOrEqual(Math.exp(-Math.max(...all)) * (1 - 1e-9))
        expect(perplexity).toBeLessThanOrEqual(Math.exp(-Math.min(...all)) * (1 + 1e-9))
        expect(share).toBeGreaterThanOrEqual(0)
        expect(share).toBeLessThanOrEqual(1)
      }),
      { numRuns: 100 },
    )
  })

  it('does not depend on the order of texts; the median never exceeds p95', () => {
    fc.assert(
      fc.property(
        texts.chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
        ([set, shuffled]) => {
          expect(referencePerplexity(shuffled)).toBeCloseTo(referencePerplexity(set) ?? 0, 9)
          const rare = rareTypeNll(set)
          const rareShuffled = rareTypeNll(shuffled)
          expect(rareShuffled?.types).toBe(rare?.types)
          expect(rareShuffled?.tokens).toBe(rare?.tokens)
          // Summation order changes the last bits, hence closeness rather than equality.
          if (rare !== null) expect(rareShuffled?.meanNll).toBeCloseTo(rare.meanNll, 9)
          const spread = generation0ScoredPerplexity(set)
          const again = generation0ScoredPerplexity(shuffled)
          expect(again).toEqual(spread)
          if (spread !== null) expect(spread.median).toBeLessThanOrEqual(spread.p95)
        },
      ),
      { numRuns: 80 },
    )
  })
})
