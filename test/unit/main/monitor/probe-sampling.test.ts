// The probes' fixed decoding (issue 7, COLLAPSE.md): temperature 1, top-k off (0), top-p 1, the given seed,
// and repeat penalty 1 (neutral) — the engines' default repeat penalty would bend the repetition measured.
import { describe, expect, it } from 'vitest'
import { probeSampling } from '../../../../src-main/services/monitor/probe-job'

describe('probeSampling', () => {
  it('is the model’s own distribution with a fixed seed and no repeat penalty', () => {
    expect(probeSampling(1011, 48)).toEqual({
      temperature: 1,
      topK: 0,
      topP: 1,
      seed: 1011,
      maxTokens: 48,
      stop: [],
      repeatPenalty: 1,
    })
  })
})
