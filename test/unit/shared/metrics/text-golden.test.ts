// Golden values for the text collapse metrics on fixtures small enough to work out by hand; the working is
// in the comments, and each check states its tolerance.
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { atTokenBudget, takeTokenBudget } from '@shared/metrics/text/budget'
import { compressionRatio } from '@shared/metrics/text/compression'
import { distinctN } from '@shared/metrics/text/distinct-n'
import { jensenShannon, unigramEntropy, unigramJsd } from '@shared/metrics/text/divergence'
import { exactDuplicateRate, nearDuplicateRate } from '@shared/metrics/text/duplicates'
import { ksDistance, wasserstein1 } from '@shared/metrics/text/length-drift'
import { mattr } from '@shared/metrics/text/mattr'
import { selfBleu4, sentenceBleu4 } from '@shared/metrics/text/self-bleu'
import { sharedNgramRate } from '@shared/metrics/text/shared-ngram'
import { tailRecall } from '@shared/metrics/text/tail-recall'
import { tokenise } from '@shared/metrics/text/tokenise'

const toks = (...texts: string[]): string[][] => texts.map(tokenise)
/** Exact rationals computed by hand; 1e-12 only absorbs floating-point rounding. */
const exact = 1e-12

describe('tokenise', () => {
  it('keeps word-like segments, lower-cased, NFC', () => {
    expect(tokenise("The Cat's café — 3.5 times!")).toEqual(['the', "cat's", 'café', '3.5', 'times'])
    // "e" + combining acute composes to the same token as the precomposed "é".
    expect(tokenise('cafe\u0301')).toEqual(tokenise('caf\u00e9'))
  })
})

describe('distinct-n', () => {
  // [the cat sat] [the cat ran] [a dog]
  // unigrams: 8 tokens, types {the, cat, sat, ran, a, dog} = 6 → 6/8 = 0.75
  // bigrams: (the cat) (cat sat) (the cat) (cat ran) (a dog) = 5, distinct 4 → 0.8; crossing text
  //   boundaries would add (sat the) and (ran a): 6/7, so this also pins "no n-gram crosses texts"
  // trigrams: (the cat sat) (the cat ran) → 2/2 = 1; 4-grams: none → null
  const texts = toks('The cat sat.', 'the cat ran', 'A dog')
  it('matches the hand count', () => {
    expect(distinctN(texts, 1)).toBeCloseTo(0.75, 12)
    expect(distinctN(texts, 2)).toBeCloseTo(0.8, 12)
    expect(distinctN(texts, 3)).toBe(1)
    expect(distinctN(texts, 4)).toBeNull()
  })
})

describe('token budget', () => {
  it('cuts the last text to land on the budget, and says when the texts run short', () => {
    const ordered = [
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]
    expect(takeTokenBudget(ordered, 4)).toEqual({
      texts: [['a', 'b', 'c'], ['d']],
      tokens: 4,
      isBudgetMet: true,
    })
    expect(takeTokenBudget(ordered, 10)).toEqual({ texts: ordered, tokens: 5, isBudgetMet: false })
  })
  it('collapses identical token lists and drops empty texts', () => {
    const taken = atTokenBudget(toks('x y', 'X, y!', '', 'z'), 100, 7)
    expect(taken.tokens).toBe(3)
    expect(taken.texts.map((t) => t.join(' ')).sort()).toEqual(['x y', 'z'])
  })
})

describe('Jensen–Shannon divergence (bits)', () => {
  it('is 1 for disjoint supports and 0.3112781 for (½,½) vs (1,0)', () => {
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 12)
    // M = (¾, ¼). KL(P‖M) = ½·log2(⅔) + ½·log2(2) = 0.2075187; KL(Q‖M) = log2(4/3) = 0.4150375;
    // JSD = (0.2075187 + 0.4150375)/2 = 0.3112781 = H(M) − (H(P) + H(Q))/2 = 0.8112781 − ½.
    expect(Math.abs((jensenShannon([1, 1], [1, 0]) ?? -1) - 0.31127812445913283)).toBeLessThan(exact)
  })
  it('reads unigram counts off tokens: "a b" vs "a a" is the same (½,½) vs (1,0) case', () => {
    expect(Math.abs((unigramJsd(toks('a b'), toks('a a')) ?? -1) - 0.31127812445913283)).toBeLessThan(exact)
  })
  it('entropy of "a a b c" is H(½,¼,¼) = 1.5 bits', () => {
    expect(unigramEntropy(toks('a a b c'))).toBeCloseTo(1.5, 12)
  })
})

describe('length drift', () => {
  // a = {1,2,3}, b = {2,4}. CDF gaps |F_a − F_b|: on [1,2) 1/3, on [2,3) 2/3 − 1/2 = 1/6, on [3,4) 1 − 1/2 = 1/2.
  // W1 = 1/3 + 1/6 + 1/2 = 1 (check by quantiles: |1−2|·⅓ + 0·⅙ + |2−4|·⅙ + |3−4|·⅓ = 1). KS = 1/2.
  it('matches W1 = 1 and KS = 1/2 on {1,2,3} vs {2,4}', () => {
    expect(wasserstein1([3, 1, 2], [4, 2])).toBeCloseTo(1, 12)
    expect(ksDistance([3, 1, 2], [4, 2])).toBeCloseTo(0.5, 12)
  })
  it('moves a point mass by its shift', () => {
    expect(wasserstein1([5], [10])).toBe(5)
    expect(ksDistance([5], [10])).toBe(1)
    expect(wasserstein1([], [1])).toBeNull()
  })
})

describe('BLEU-4 (Papineni et al. 2002, smoothing: Chen & Cherry method 1, ε = 0.1)', () => {
  // hyp "the cat sat on the mat", ref "the cat is on the mat" (c = r = 6, BP = 1):
  // p1 = 5/6 (the×2, cat, on, mat), p2 = 3/5 (the cat, on the, the mat), p3 = 1/4 (on the mat),
  // p4 = 0/3 → ε/3 = 1/30. BLEU = (5/6 · 3/5 · 1/4 · 1/30)^(1/4) = (1/240)^(1/4) = 0.2540664.
  const golden = Math.pow(240, -0.25)
  it('scores the pair 240^(−1/4)', () => {
    expect(sentenceBleu4(tokenise('The cat sat on the mat.'), toks('the cat is on the mat'))).toBeCloseTo(
      golden,
      12,
    )
  })
  it('applies the brevity penalty and smooths empty orders', () => {
    // hyp "the cat" (c = 2) vs ref of 4 tokens: BP = e^(1 − 4/2) = e^−1; p1 = p2 = 1; no 3- or 4-grams in
    // the hypothesis, so p3 = p4 = ε/max(1, 0) = 0.1: BLEU = e^−1 · (0.01)^(1/4) = 0.1163337.
    expect(sentenceBleu4(toks('the cat')[0] ?? [], toks('the cat sat on'))).toBeCloseTo(
      0.11633369384516797,
      12,
    )
    expect(sentenceBleu4(tokenise('dog'), toks('the cat'))).toBe(0)
  })
  it('self-BLEU of the pair is the same (the pair is symmetric), and 1 for two identical texts', () => {
    expect(selfBleu4(toks('the cat sat on the mat', 'the cat is on the mat'))).toBeCloseTo(golden, 12)
    expect(selfBleu4(toks('one two three four five', 'one two three four five'))).toBeCloseTo(1, 12)
    expect(selfBleu4(toks('alone'))).toBeNull()
  })
})

describe('shared ≥4-gram rate', () => {
  // T1 and T2 share "a b c d"; T3's only 4-gram (a b c x) is nowhere else; T4 repeats its own 4-gram,
  // which does not count. 2 of 4 texts.
  it('counts texts that share a 4-gram with another text', () => {
    expect(sharedNgramRate(toks('a b c d e', 'x a b c d', 'a b c x', 'p q r s p q r s'))).toBe(0.5)
  })
})

describe('tail recall', () => {
  // R = [a b c] [a b d] [a e]: counts a 3, b 2, c 1, d 1, e 1 → rare types {b, c, d, e}.
  // S = [b c x] uses b and c → 2/4. R's bigrams (a b)×2, (b c), (b d), (a e) are all rare (≤ 2);
  // S has (b c) and (c x) → 1/4.
  const r = toks('a b c', 'a b d', 'a e')
  const s = toks('b c x')
  it('matches the hand count for types and bigrams', () => {
    expect(tailRecall(s, r, 1)).toEqual({ recall: 0.5, rare: 4 })
    expect(tailRecall(s, r, 2)).toEqual({ recall: 0.25, rare: 4 })
  })
})

describe('MATTR', () => {
  // a b a c a, window 3: [a b a] 2/3, [b a c] 3/3, [a c a] 2/3 → mean 7/9.
  it('averages the window TTRs', () => {
    expect(mattr(['a', 'b', 'a', 'c', 'a'], 3)).toBeCloseTo(7 / 9, 12)
    expect(mattr(['a', 'a', 'b'], 50)).toBeCloseTo(2 / 3, 12)
  })
})

describe('duplicates', () => {
  it('exact: normalised copies of an earlier text', () => {
    // "Hi there" and "Hi  there " normalise to the same text; "hi there" differs in case: 4 texts, 3 distinct.
    expect(exactDuplicateRate(['Hi there', 'hi there', 'Hi  there ', 'other'])).toBe(0.25)
  })
  it('near: a one-word edit of a 40-word text is a near copy; unrelated texts are not', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`)
    const base = words.join(' ')
    const edited = [...words.slice(0, 39), 'changed'].join(' ')
    // 5-word shingles: 36 each, 35 shared → Jaccard 35/37 = 0.95, well above 0.8.
    const other = Array.from({ length: 40 }, (_, i) => `v${i}`).join(' ')
    expect(nearDuplicateRate(toks(base, edited, other))).toBeCloseTo(1 / 3, 12)
    expect(nearDuplicateRate(toks(base, other))).toBe(0)
    // Same tokens, different case and punctuation: not an exact copy, but a near one.
    expect(exactDuplicateRate(['Hi there', 'hi there!'])).toBe(0)
    expect(nearDuplicateRate(toks('Hi there', 'hi there!'))).toBe(0.5)
  })
})

describe('compression ratio', () => {
  // gzip sizes cannot be worked out by hand, so the reference is zlib, an independent deflate, on the
  // same bytes; the two encoders may pick different matches, hence the 3 % tolerance.
  const unit = 'the same words again and again.'
  it('agrees with zlib on a single repeated text cut at the byte budget', () => {
    // One text, so no joining: normalised, it is the unit repeated with single spaces, cut at 8,000 bytes.
    const result = compressionRatio([`${unit} `.repeat(400)], 8000, 3)
    expect(result.bytes).toBe(8000)
    const bytes = Buffer.from(Array.from({ length: 400 }, () => unit).join(' ')).subarray(0, 8000)
    const zlibRatio = 8000 / gzipSync(bytes, { level: 6 }).length
    expect(Math.abs((result.ratio ?? 0) / zlibRatio - 1)).toBeLessThan(0.03)
  })
  it('is higher for repetitive text than for varied text, and reports a short input whole', () => {
    const varied = Array.from(
      { length: 400 },
      (_, i) => `Sample ${i} says river ${(i * 7919) % 1009} runs ${i % 13}.`,
    )
    const repetitive = compressionRatio([`${unit} `.repeat(400)], 8000, 3).ratio ?? 0
    expect(repetitive).toBeGreaterThan(2 * (compressionRatio(varied, 8000, 3).ratio ?? Infinity))
    expect(compressionRatio(['abc def'], 1000, 3).bytes).toBe(7)
    expect(compressionRatio([], 1000, 3)).toEqual({ ratio: null, bytes: 0 })
  })
})
