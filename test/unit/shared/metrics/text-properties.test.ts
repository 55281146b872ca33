// Property tests for the text collapse metrics: ranges, symmetries and the invariances that make a
// generation-to-generation comparison fair (input order, duplicated sample sets at a fixed budget), plus
// slow, obvious oracles for the fast paths (hashed n-grams, top-2 self-BLEU, one-pass shared 4-grams).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { atTokenBudget } from '@shared/metrics/text/budget'
import { distinctN } from '@shared/metrics/text/distinct-n'
import { jensenShannon, unigramJsd } from '@shared/metrics/text/divergence'
import { exactDuplicateRate, nearDuplicateRate } from '@shared/metrics/text/duplicates'
import { ksDistance, wasserstein1 } from '@shared/metrics/text/length-drift'
import { mattr } from '@shared/metrics/text/mattr'
import { textMetricReport } from '@shared/metrics/text/report'
import { selfBleu4, sentenceBleu4 } from '@shared/metrics/text/self-bleu'
import { sharedNgramRate } from '@shared/metrics/text/shared-ngram'
import { tailRecall } from '@shared/metrics/text/tail-recall'
import { tokenise } from '@shared/metrics/text/tokenise'

const runs = { numRuns: 60 }
// A small vocabulary, so that texts repeat words and n-grams often enough for the properties to bite.
const word = fc.constantFrom('the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'Ran', 'far', 'away', 'zebra', 'ö')
const text = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '))
const texts = fc.array(text, { maxLength: 25 })
const tokenTexts = texts.map((ts) => ts.map(tokenise))
const budget = fc.integer({ min: 1, max: 200 })
const seed = fc.integer({ min: 0, max: 1000 })

/** Fisher–Yates driven by fast-check's random, so a failing permutation shrinks and replays. */
const permuted = <T>(list: readonly T[], rand: number[]): T[] => {
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = (rand[i] ?? 0) % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
const randoms = fc.array(fc.nat(), { minLength: 30, maxLength: 30 })

describe('distinct-n', () => {
  it('lies in [0, 1] at any budget', () => {
    fc.assert(
      fc.property(tokenTexts, budget, seed, (ts, b, s) => {
        const taken = atTokenBudget(ts, b, s).texts
        for (const n of [1, 2, 3, 4]) {
          const d = distinctN(taken, n)
          if (d === null) continue
          expect(d).toBeGreaterThan(0)
          expect(d).toBeLessThanOrEqual(1)
        }
      }),
      runs,
    )
  })
  it('does not change when the sample set is duplicated or permuted, at a fixed budget', () => {
    fc.assert(
      fc.property(tokenTexts, budget, seed, randoms, (ts, b, s, rand) => {
        const once = atTokenBudget(ts, b, s).texts
        const twice = atTokenBudget([...ts, ...ts], b, s).texts
        const shuffled = atTokenBudget(permuted([...ts, ...ts.slice(0, 3)], rand), b, s).texts
        for (const n of [1, 2, 3, 4]) {
          expect(distinctN(twice, n)).toBe(distinctN(once, n))
          expect(distinctN(shuffled, n)).toBe(distinctN(once, n))
        }
      }),
      runs,
    )
  })
  it('equals a count over joined-string n-grams (the hashed keys lose nothing here)', () => {
    fc.assert(
      fc.property(tokenTexts, fc.integer({ min: 1, max: 4 }), (ts, n) => {
        const all = ts.flatMap((t) =>
          Array.from({ length: Math.max(0, t.length - n + 1) }, (_, i) => t.slice(i, i + n).join(' ')),
        )
        expect(distinctN(ts, n)).toBe(all.length === 0 ? null : new Set(all).size / all.length)
      }),
      runs,
    )
  })
})

describe('Jensen–Shannon divergence', () => {
  const counts = fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 12 })
  it('lies in [0, 1], is symmetric, and is 0 for identical distributions', () => {
    fc.assert(
      fc.property(counts, counts, (p, q) => {
        const d = jensenShannon(p, q)
        expect(d).toBe(jensenShannon(q, p))
        if (d === null) return
        expect(d).toBeGreaterThanOrEqual(0)
        expect(d).toBeLessThanOrEqual(1)
        expect(jensenShannon(p, p)).toBe(0)
        // Counts, not probabilities: doubling every count is the same distribution.
        expect(
          jensenShannon(
            p,
            p.map((c) => 2 * c),
          ),
        ).toBeLessThan(1e-12)
      }),
      runs,
    )
  })
  it('is 0 between a token set and itself', () => {
    fc.assert(
      fc.property(tokenTexts, (ts) => {
        const d = unigramJsd(ts, ts)
        if (d !== null) expect(d).toBe(0)
      }),
      runs,
    )
  })
})

describe('length drift', () => {
  const lengths = fc.array(fc.nat({ max: 80 }), { minLength: 1, maxLength: 40 })
  it('W1 and KS are ≥ 0, symmetric, 0 for identical lists, KS ≤ 1, and W1 of a shift is the shift', () => {
    fc.assert(
      fc.property(lengths, lengths, fc.integer({ min: -20, max: 20 }), (a, b, shift) => {
        const w = wasserstein1(a, b) ?? -1
        const k = ksDistance(a, b) ?? -1
        expect(w).toBeGreaterThanOrEqual(0)
        expect(k).toBeGreaterThanOrEqual(0)
        expect(k).toBeLessThanOrEqual(1)
        expect(wasserstein1(b, a)).toBeCloseTo(w, 9)
        expect(ksDistance(b, a)).toBeCloseTo(k, 12)
        expect(wasserstein1(a, [...a].reverse())).toBe(0)
        expect(ksDistance(a, [...a, ...a])).toBe(0)
        expect(
          wasserstein1(
            a,
            a.map((x) => x + shift),
          ),
        ).toBeCloseTo(Math.abs(shift), 9)
      }),
      runs,
    )
  })
})

describe('tail recall', () => {
  it('lies in [0, 1], and is 1 when S = R', () => {
    fc.assert(
      fc.property(tokenTexts, tokenTexts, (s, r) => {
        for (const n of [1, 2]) {
          const { recall } = tailRecall(s, r, n)
          if (recall !== null) {
            expect(recall).toBeGreaterThanOrEqual(0)
            expect(recall).toBeLessThanOrEqual(1)
          }
          const self = tailRecall(r, r, n)
          expect(self.recall).toBe(self.rare === 0 ? null : 1)
        }
      }),
      runs,
    )
  })
})

describe('self-BLEU-4', () => {
  it('equals the mean of each text’s BLEU-4 against all the others (the top-2 shortcut is exact)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 10 }), { minLength: 2, maxLength: 8 }),
        (ws) => {
          const ts = ws.map((w) => tokenise(w.join(' ')))
          const slow =
            ts.reduce(
              (sum, t, i) =>
                sum +
                sentenceBleu4(
                  t,
                  ts.filter((_, j) => j !== i),
                ),
              0,
            ) / ts.length
          const fast = selfBleu4(ts) ?? -1
          expect(Math.abs(fast - slow)).toBeLessThan(1e-12)
          expect(fast).toBeGreaterThanOrEqual(0)
          expect(fast).toBeLessThanOrEqual(1)
        },
      ),
      runs,
    )
  })
})

describe('shared 4-gram rate', () => {
  it('equals a pairwise check of every two texts', () => {
    fc.assert(
      fc.property(tokenTexts, (ts) => {
        const grams = ts.map(
          (t) =>
            new Set(Array.from({ length: Math.max(0, t.length - 3) }, (_, i) => t.slice(i, i + 4).join(' '))),
        )
        const shares = grams.filter((g, i) => grams.some((h, j) => j !== i && [...g].some((x) => h.has(x))))
        expect(sharedNgramRate(ts)).toBe(ts.length === 0 ? null : shares.length / ts.length)
      }),
      runs,
    )
  })
})

describe('MATTR', () => {
  it('equals the mean TTR over every window, in (0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (ws, w) => {
          const size = Math.min(w, ws.length)
          let sum = 0
          for (let i = 0; i + size <= ws.length; i++) sum += new Set(ws.slice(i, i + size)).size / size
          const value = mattr(ws, w) ?? -1
          expect(value).toBeCloseTo(sum / (ws.length - size + 1), 12)
          expect(value).toBeGreaterThan(0)
          expect(value).toBeLessThanOrEqual(1)
        },
      ),
      runs,
    )
  })
})

describe('duplicate rates', () => {
  it('lie in [0, 1), near ≥ exact, and do not depend on input order', () => {
    fc.assert(
      fc.property(texts, randoms, (ts, rand) => {
        const exactRate = exactDuplicateRate(ts)
        const nearRate = nearDuplicateRate(ts.map(tokenise))
        if (exactRate === null || nearRate === null) return
        expect(exactRate).toBeGreaterThanOrEqual(0)
        expect(nearRate).toBeGreaterThanOrEqual(exactRate)
        expect(nearRate).toBeLessThan(1)
        expect(nearDuplicateRate(permuted(ts, rand).map(tokenise))).toBe(nearRate)
      }),
      runs,
    )
  })
})

describe('textMetricReport', () => {
  it('is plain JSON and does not depend on the order of samples or reference', () => {
    fc.assert(
      fc.property(texts, texts, seed, randoms, (s, r, sd, rand) => {
        const report = textMetricReport(s, r, { seed: sd })
        expect(JSON.parse(JSON.stringify(report))).toEqual(report)
        expect(textMetricReport(permuted(s, rand), permuted(r, rand), { seed: sd })).toEqual(report)
      }),
      { numRuns: 30 },
    )
  })
  it('keeps every budgeted metric when the sample set is duplicated (duplicate rates do move)', () => {
    fc.assert(
      fc.property(texts, texts, budget, (s, r, b) => {
        const once = textMetricReport(s, r, { tokenBudget: b })
        const twice = textMetricReport([...s, ...s], r, { tokenBudget: b })
        expect(twice.distinct).toEqual(once.distinct)
        expect(twice.tailRecall).toEqual(once.tailRecall)
        expect(twice.unigramJsd).toBe(once.unigramJsd)
        expect(twice.compressionRatio).toBe(once.compressionRatio)
        expect(twice.selfBleu4).toBe(once.selfBleu4)
        expect(twice.lengthDrift).toEqual(once.lengthDrift)
        if (s.length > 0) expect(twice.exactDuplicateRate ?? 0).toBeGreaterThanOrEqual(0.5)
      }),
      { numRuns: 30 },
    )
  })
  it('gives full tail recall and zero divergence and drift when S = R', () => {
    fc.assert(
      fc.property(texts, (r) => {
        const report = textMetricReport(r, r)
        if (report.tailRecall.rareTypes > 0) expect(report.tailRecall.types).toBe(1)
        if (report.tailRecall.rareBigrams > 0) expect(report.tailRecall.bigrams).toBe(1)
        if (report.unigramJsd !== null) expect(report.unigramJsd).toBe(0)
        if (r.length > 0) expect(report.lengthDrift).toMatchObject({ wasserstein1: 0, ks: 0 })
      }),
      runs,
    )
  })
})
