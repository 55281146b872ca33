// The heat map places each token's probability on the characters it produced. When the stored text and the
// tokens disagree, alignment stops at the first disagreement instead of colouring the wrong characters.
import { describe, expect, it } from 'vitest'
import { confidenceBand, confidenceSpans, lowConfidenceShare } from '@shared/text/token-confidence'

const columns = (pairs: [string, number][]) => ({
  tokens: pairs.map(([token]) => token),
  logprobs: pairs.map(([, p]) => Math.log(p)),
})

describe('confidenceSpans', () => {
  it('maps each token to its character range when the tokens make up the text', () => {
    const spans = confidenceSpans(
      'Hello, wörld 😀',
      columns([
        ['Hello', 0.95],
        [',', 0.5],
        [' wörld', 0.0625],
        [' 😀', 0.25],
      ]),
    )
    expect(spans).toEqual([
      { index: 0, start: 0, end: 5, probability: 0.95, token: 'Hello' },
      { index: 1, start: 5, end: 6, probability: 0.5, token: ',' },
      { index: 2, start: 6, end: 12, probability: 0.0625, token: ' wörld' },
      { index: 3, start: 12, end: 15, probability: 0.25, token: ' 😀' },
    ])
  })

  it('stops at a text cut at a stop string, keeping the tokens before it', () => {
    const spans = confidenceSpans(
      'The end',
      columns([
        ['The', 1],
        [' end', 0.5],
        ['.\n\nUser:', 0.5],
      ]),
    )
    expect(spans.map((s) => [s.start, s.end, s.token])).toEqual([
      [0, 3, 'The'],
      [3, 7, ' end'],
    ])
  })

  it('returns nothing when the text no longer starts with the tokens (a think block removed)', () => {
    const cols = columns([
      ['<think>', 0.9],
      ['hmm', 0.5],
      ['</think>', 0.9],
      ['Answer', 0.5],
    ])
    expect(confidenceSpans('Answer', cols)).toEqual([])
  })

  it('stops at a character split across byte-level tokens', () => {
    const cols = columns([
      ['caf', 0.9],
      ['\uFFFD', 0.5],
      ['\uFFFD', 0.5],
    ])
    expect(confidenceSpans('café', cols)).toEqual([
      { index: 0, start: 0, end: 3, probability: 0.9, token: 'caf' },
    ])
  })

  it('gives empty tokens no span, keeps the column index, and stops at the shorter column', () => {
    const spans = confidenceSpans('ab', { tokens: ['', 'a', 'b'], logprobs: [0, Math.log(0.5)] })
    expect(spans).toEqual([{ index: 1, start: 0, end: 1, probability: 0.5, token: 'a' }])
  })

  it('clamps a slightly positive logprob to 1 and reads NaN as 0', () => {
    const spans = confidenceSpans('ab', { tokens: ['a', 'b'], logprobs: [1e-7, Number.NaN] })
    expect(spans.map((s) => s.probability)).toEqual([1, 0])
  })

  it('never throws on empty input', () => {
    expect(confidenceSpans('', { tokens: [], logprobs: [] })).toEqual([])
    expect(confidenceSpans('', columns([['a', 0.5]]))).toEqual([])
    expect(confidenceSpans('a', { tokens: [], logprobs: [] })).toEqual([])
  })
})

describe('confidenceBand', () => {
  it.each([
    [1, 'high'],
    [0.9, 'high'],
    [0.8999, 'medium'],
    [0.5, 'medium'],
    [0.4999, 'low'],
    [0.2, 'low'],
    [0.1999, 'very-low'],
    [0, 'very-low'],
  ])('puts %f in the %s band', (probability, band) => {
    expect(confidenceBand(probability)).toBe(band)
  })
})

describe('lowConfidenceShare', () => {
  const cols = columns([
    ['a', 0.95],
    ['b', 0.1],
    ['c', 0.3],
    ['d', 0.19],
  ])

  it('is the fraction of tokens below the threshold, 0.2 by default', () => {
    expect(lowConfidenceShare(cols)).toBe(0.5)
    expect(lowConfidenceShare(cols, 0.5)).toBe(0.75)
    expect(lowConfidenceShare(cols, 0.1)).toBe(0)
  })

  it('is 0 for a candidate without tokens and counts unreadable logprobs as low', () => {
    expect(lowConfidenceShare({ logprobs: [] })).toBe(0)
    expect(lowConfidenceShare({ logprobs: [0, Number.NaN] })).toBe(0.5)
  })
})
