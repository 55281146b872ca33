// candidates.recorded v1 stored one object per token; v2 stores column arrays. A v1 event from an older log
// must read as the same logprobs in the new shape, and the two encodings must round-trip exactly.
import { describe, expect, it } from 'vitest'
import { readLogEvent } from '@shared/domain/log-events'
import { fromCompactLogprobs, toCompactLogprobs, type TokenLogprob } from '@shared/domain/token-logprobs'
import { makeCandidate } from '../../../factories/log-events'

const perToken: TokenLogprob[] = [
  {
    token: 'The',
    logprob: -0.25,
    top: [
      { token: 'The', logprob: -0.25 },
      { token: 'A', logprob: -1.75 },
    ],
  },
  {
    token: ' fox',
    logprob: -2.5,
    top: [
      { token: ' cat', logprob: -0.5 },
      { token: ' fox', logprob: -2.5 },
    ],
  },
  { token: '.', logprob: -0.01, top: [] },
]

describe('candidate logprobs', () => {
  it('round-trips per-token and column forms exactly', () => {
    expect(fromCompactLogprobs(toCompactLogprobs(perToken))).toEqual(perToken)
  })

  it('reads a v1 candidates.recorded event as v2 column arrays', () => {
    const candidate = { ...makeCandidate('s1'), logprobs: perToken }
    const typed = readLogEvent({
      seq: 1,
      id: 'e1',
      v: 1,
      kind: 'candidates.recorded',
      at: '2026-01-01T00:00:00.000Z',
      data: { candidates: [candidate] },
    })
    expect(typed?.kind).toBe('candidates.recorded')
    if (typed?.kind !== 'candidates.recorded') return
    const read = typed.data.candidates[0]!
    expect(read.logprobs).toEqual({
      tokens: ['The', ' fox', '.'],
      logprobs: [-0.25, -2.5, -0.01],
      topTokens: [['The', 'A'], [' cat', ' fox'], []],
      topLogprobs: [[-0.25, -1.75], [-0.5, -2.5], []],
    })
    expect(fromCompactLogprobs(read.logprobs!)).toEqual(perToken)
  })

  it('rejects v2 columns of different lengths', () => {
    const broken = makeCandidate('s1', {
      logprobs: { tokens: ['a', 'b'], logprobs: [-1], topTokens: [[], []], topLogprobs: [[], []] },
    })
    expect(() =>
      readLogEvent({
        seq: 1,
        id: 'e1',
        v: 2,
        kind: 'candidates.recorded',
        at: 'x',
        data: { candidates: [broken] },
      }),
    ).toThrow(/differ in length/)
  })
})
