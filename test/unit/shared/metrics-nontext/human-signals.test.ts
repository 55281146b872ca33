// Human-review signals: a four-sample generation worked through by hand, word-level edit distances, curation
// squeeze with a known diversity function, and ranges and order invariance as properties.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { normalisedWordEditDistance } from '@shared/metrics/human/word-edit-distance'
import { reviewSignals } from '@shared/metrics/human/review-signals'
import { curationSqueeze } from '@shared/metrics/human/curation-squeeze'
import type { ReviewedSample } from '@shared/metrics/human/reviewed-sample'

const distinctTexts = (texts: readonly string[]) => new Set(texts).size

describe('normalisedWordEditDistance, golden values (exact)', () => {
  it('counts word substitutions, insertions and deletions over the longer length', () => {
    expect(normalisedWordEditDistance('the cat sat', 'the dog sat')).toBe(1 / 3)
    expect(normalisedWordEditDistance('a b c', 'a b c d')).toBe(1 / 4)
    expect(normalisedWordEditDistance('x y', '')).toBe(1)
    expect(normalisedWordEditDistance('', '')).toBe(0)
  })

  it('ignores whitespace changes and treats punctuation as part of the word', () => {
    expect(normalisedWordEditDistance('a  b\n', ' a b')).toBe(0)
    expect(normalisedWordEditDistance('the cat.', 'the cat!')).toBe(1 / 2)
  })
})

const generation: ReviewedSample[] = [
  { presented: ['first', 'second'], chosenIndex: 0, finalText: null, flags: [], chosenMeanLogprob: -1 },
  {
    presented: ['alpha', 'beta', 'one two three four'],
    chosenIndex: 2,
    finalText: 'one two five four',
    flags: ['style'],
    chosenMeanLogprob: -3,
  },
  { presented: ['only'], chosenIndex: 0, finalText: null, flags: [], chosenMeanLogprob: null },
  {
    presented: ['x', 'y'],
    chosenIndex: null,
    finalText: null,
    flags: ['unsafe', 'style', 'unsafe'],
    chosenMeanLogprob: null,
  },
]

describe('reviewSignals, golden values (tolerance 1e-12)', () => {
  it('works through a four-sample generation', () => {
    const signals = reviewSignals(generation)
    expect(signals.reviewed).toBe(4)
    expect(signals.accepted).toBe(3)
    expect(signals.acceptanceRate).toBe(3 / 4)
    expect(signals.flagRate).toBe(2 / 4)
    // 'unsafe' twice on one sample counts once.
    expect(signals.flagRateByReason).toEqual({ style: 0.5, unsafe: 0.25 })
    // Edits: 0, 1/4 (three → five), 0 → mean 1/12; two of three accepts unedited.
    expect(signals.meanEditDistance).toBeCloseTo(1 / 12, 12)
    expect(signals.zeroEditShare).toBeCloseTo(2 / 3, 12)
    // Only samples 1 and 2 offered a choice; sample 1 took the top one.
    expect(signals.rankOnePickRate).toBe(1 / 2)
    // Logprobs recorded for samples 1 (−1) and 2 (−3 < −2).
    expect(signals.highSurpriseAcceptShare).toBe(1 / 2)
    expect(reviewSignals(generation, { surpriseBelow: -0.5 }).highSurpriseAcceptShare).toBe(1)
  })

  it('has no rates for an empty generation and rejects an index outside the candidates', () => {
    const empty = reviewSignals([])
    expect(empty.acceptanceRate).toBeNull()
    expect(empty.rankOnePickRate).toBeNull()
    expect(empty.flagRateByReason).toEqual({})
    const corrupt = { presented: ['a'], chosenIndex: 3, finalText: null, flags: [], chosenMeanLogprob: null }
    expect(() => reviewSignals([corrupt])).toThrow(RangeError)
  })
})

describe('curationSqueeze, golden values', () => {
  it('divides the diversity of the kept texts by that of everything shown: 3 / 8', () => {
    // Presented: first, second, alpha, beta, one two three four, only, x, y = 8 distinct texts; kept: first,
    // "one two five four" (the edit, which is what enters training), only = 3 distinct.
    expect(curationSqueeze(generation, distinctTexts)).toBe(3 / 8)
  })

  it('is 1 when every shown candidate is kept and null when nothing is', () => {
    const all: ReviewedSample[] = [
      { presented: ['a'], chosenIndex: 0, finalText: null, flags: [], chosenMeanLogprob: null },
    ]
    expect(curationSqueeze(all, distinctTexts)).toBe(1)
    expect(curationSqueeze([generation[3] as ReviewedSample], distinctTexts)).toBeNull()
  })
})

const word = fc.constantFrom('a', 'b', 'c', 'd')
const text = fc.array(word, { maxLength: 5 }).map((w) => w.join(' '))
const reviewed: fc.Arbitrary<ReviewedSample> = fc
  .array(text, { minLength: 1, maxLength: 4 })
  .chain((presented) =>
    fc.record({
      presented: fc.constant(presented),
      chosenIndex: fc.option(fc.integer({ min: 0, max: presented.length - 1 })),
      finalText: fc.option(text),
      flags: fc.array(fc.constantFrom('unsafe', 'wrong', 'style'), { maxLength: 3 }),
      chosenMeanLogprob: fc.option(fc.double({ min: -8, max: 0, noNaN: true })),
    }),
  )

describe('human signal properties', () => {
  it('every rate lies in [0, 1] and nothing depends on the order of samples', () => {
    fc.assert(
      fc.property(
        fc
          .array(reviewed, { maxLength: 8 })
          .chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
        ([set, shuffled]) => {
          const a = reviewSignals(set)
          const b = reviewSignals(shuffled)
          const rates = [
            a.acceptanceRate,
            a.flagRate,
            a.meanEditDistance,
            a.zeroEditShare,
            a.rankOnePickRate,
            a.highSurpriseAcceptShare,
            ...Object.values(a.flagRateByReason),
          ]
          for (const rate of rates) {
            if (rate === null) continue
            expect(rate).toBeGreaterThanOrEqual(0)
            expect(rate).toBeLessThanOrEqual(1)
          }
          expect({ ...b, meanEditDistance: null }).toEqual({ ...a, meanEditDistance: null })
          if (a.meanEditDistance !== null) expect(b.meanEditDistance).toBeCloseTo(a.meanEditDistance, 12)
          expect(curationSqueeze(shuffled, distinctTexts)).toBe(curationSqueeze(set, distinctTexts))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('without edits the kept texts are a subset of those shown, so a distinct count can only shrink', () => {
    fc.assert(
      fc.property(fc.array(reviewed, { minLength: 1, maxLength: 8 }), (set) => {
        const unedited = set.map((s) => ({ ...s, finalText: null }))
        const squeeze = curationSqueeze(unedited, distinctTexts)
        if (squeeze === null) return
        expect(squeeze).toBeGreaterThan(0)
        expect(squeeze).toBeLessThanOrEqual(1)
      }),
      { numRuns: 100 },
    )
  })
})
