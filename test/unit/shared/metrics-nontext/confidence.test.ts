// Confidence metrics from top-k logprob lists: hand-computed golden values (powers of two keep the logs exact)
// and properties: H_k is a lower bound on the full entropy, ranges hold, sample order does not matter.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  leftoverMass,
  topOneProbability,
  truncatedEntropy,
} from '@shared/metrics/confidence/token-distribution'
import { selfPerplexity } from '@shared/metrics/confidence/self-perplexity'
import { summarizeConfidence } from '@shared/metrics/confidence/confidence-summary'

const ln = Math.log

describe('token distribution, golden values (tolerance 1e-12)', () => {
  const top = [ln(0.5), ln(0.25), ln(0.125)]

  it('leftover mass is what the list does not cover: 1 − 0.875 = 0.125', () => {
    expect(leftoverMass(top)).toBeCloseTo(0.125, 12)
  })

  it('truncated entropy lumps the leftover into one outcome', () => {
    // 0.5·ln2 + 0.25·2ln2 + 0.125·3ln2 + r·(−ln r) with r = 0.125 → 0.125·3ln2; total 1.75·ln2 = 1.2130076.
    expect(truncatedEntropy(top)).toBeCloseTo(1.75 * ln(2), 12)
  })

  it('is zero for a certain token, clamping a rounded positive logprob, and top-1 is the largest', () => {
    expect(truncatedEntropy([1e-7])).toBe(0)
    expect(leftoverMass([1e-7])).toBe(0)
    expect(topOneProbability([ln(0.2), ln(0.7)])).toBeCloseTo(0.7, 12)
  })
})

describe('selfPerplexity and summarizeConfidence, golden values', () => {
  it('pools tokens over samples: −mean logprob = (ln2 + 2ln2 + 3ln2)/3 = 2ln2, perplexity 4', () => {
    expect(selfPerplexity([{ logprobs: [ln(0.5), ln(0.25)] }, { logprobs: [ln(0.125)] }])).toBeCloseTo(4, 12)
    expect(selfPerplexity([{ logprobs: [] }])).toBeNull()
  })

  it('summarises positions with top lists and skips those without', () => {
    const summary = summarizeConfidence([
      {
        logprobs: [ln(0.95), ln(0.5)],
        topLogprobs: [
          [ln(0.95), ln(0.05)],
          [ln(0.5), ln(0.5)],
        ],
      },
      { logprobs: [ln(0.25)], topLogprobs: [[]] },
    ])
    // Position 1: p = (0.95, 0.05), r = 0, H = −0.95 ln 0.95 − 0.05 ln 0.05 = 0.0487287 + 0.1497866 = 0.1985152.
    // Position 2: p = (0.5, 0.5), H = ln 2 = 0.6931472. Mean H = 0.4458312.
    expect(summary?.positions).toBe(2)
    expect(summary?.meanTruncatedEntropy).toBeCloseTo(0.4458312, 6)
    expect(summary?.meanLeftoverMass).toBeCloseTo(0, 12)
    expect(summary?.meanTopOneProbability).toBeCloseTo(0.725, 12)
    expect(summary?.certainShare).toBe(0.5)
    // Self-perplexity uses all chosen tokens: exp(−(ln .95 + ln .5 + ln .25)/3) = (0.95·0.125)^(−1/3) = 2.0336.
    expect(summary?.selfPerplexity).toBeCloseTo(Math.pow(0.95 * 0.125, -1 / 3), 12)
    expect(summarizeConfidence([{ logprobs: [0], topLogprobs: [[]] }])).toBeNull()
  })
})

/** A full distribution over 2–12 tokens, sorted most likely first, as the engine would list it. */
const distribution = fc
  .array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 })
  .map((weights) => {
    const total = weights.reduce((a, b) => a + b, 0)
    return weights.map((w) => w / total).sort((a, b) => b - a)
  })

describe('confidence properties', () => {
  it('H_k is at most the full entropy and at most ln(k + 1); leftover mass and top-1 lie in [0, 1]', () => {
    fc.assert(
      fc.property(distribution, fc.integer({ min: 1, max: 12 }), (p, k) => {
        const full = p.reduce((h, x) => h - x * Math.log(x), 0)
        const top = p.slice(0, k).map(Math.log)
        const hk = truncatedEntropy(top)
        expect(hk).toBeGreaterThanOrEqual(0)
        expect(hk).toBeLessThanOrEqual(full + 1e-9)
        expect(hk).toBeLessThanOrEqual(Math.log(top.length + 1) + 1e-9)
        const r = leftoverMass(top)
        expect(r).toBeGreaterThanOrEqual(0)
        expect(r).toBeLessThanOrEqual(1)
        expect(topOneProbability(top)).toBeCloseTo(p[0] ?? 0, 9)
      }),
      { numRuns: 100 },
    )
  })

  it('the summary does not depend on sample order and its shares lie in [0, 1]', () => {
    const sample = fc.array(distribution, { minLength: 1, maxLength: 6 }).map((positions) => ({
      logprobs: positions.map((p) => Math.log(p[0] ?? 1)),
      topLogprobs: positions.map((p) => p.slice(0, 3).map(Math.log)),
    }))
    fc.assert(
      fc.property(
        fc
          .array(sample, { minLength: 1, maxLength: 5 })
          .chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
        ([set, shuffled]) => {
          const a = summarizeConfidence(set)
          const b = summarizeConfidence(shuffled)
          expect(a?.certainShare).toBeGreaterThanOrEqual(0)
          expect(a?.certainShare).toBeLessThanOrEqual(1)
          expect(b?.meanTruncatedEntropy).toBeCloseTo(a?.meanTruncatedEntropy ?? Number.NaN, 9)
          expect(b?.selfPerplexity).toBeCloseTo(a?.selfPerplexity ?? Number.NaN, 9)
          expect(b?.certainShare).toBe(a?.certainShare)
        },
      ),
      { numRuns: 50 },
    )
  })
})
