// candidates.recorded v4 writes logprob columns as blocks (stored-logprobs.ts). What is read back must be
// exactly what was held — every token string (empty, astral, control, quote) and every double (−0,
// subnormals, the 17th digit) — and a block that does not fit the others must be refused, not misread.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeLogprobs, encodeLogprobs, type StoredLogprobs } from '@shared/domain/stored-logprobs'
import { readLogEvent } from '@shared/domain/log-events'
import type { CompactLogprobs } from '@shared/domain/token-logprobs'
import { storedForm } from '../../../../src-main/log/log-encoding'
import { makeCandidate } from '../../../factories/log-events'

const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

const columns = fc
  .array(
    fc.record({
      token: fc.string({ unit: 'binary' }),
      logprob: fc.double({ max: 0, noNaN: true, noDefaultInfinity: true }),
      top: fc.array(
        fc.record({
          token: fc.string({ unit: 'binary' }),
          logprob: fc.double({ max: 0, noNaN: true, noDefaultInfinity: true }),
        }),
        { maxLength: 20 },
      ),
    }),
    { maxLength: 80 },
  )
  .map((tokens): CompactLogprobs => ({
    tokens: tokens.map((t) => t.token),
    logprobs: tokens.map((t) => t.logprob),
    topTokens: tokens.map((t) => t.top.map((a) => a.token)),
    topLogprobs: tokens.map((t) => t.top.map((a) => a.logprob)),
  }))

describe('stored logprobs', () => {
  it('decode(encode(columns)) is the columns, bit for bit', () => {
    fc.assert(
      fc.property(columns, (held) => {
        const back = decodeLogprobs(encodeLogprobs(held, toBase64))
        expect(back).toEqual(held)
        back.logprobs.forEach((x, i) => expect(Object.is(x, held.logprobs[i])).toBe(true))
      }),
      { numRuns: 300 },
    )
  })

  it('refuses blocks that do not fit together', () => {
    const stored = encodeLogprobs(
      { tokens: ['a', 'bc'], logprobs: [-1, -2], topTokens: [['x'], []], topLogprobs: [[-3], []] },
      toBase64,
    )
    const broken: StoredLogprobs[] = [
      { ...stored, text: stored.text.slice(1) },
      { ...stored, text: `${stored.text}!` },
      { ...stored, logprobs: toBase64(new Uint8Array(new Float64Array([-1]).buffer)) },
      { ...stored, counts: toBase64(new Uint8Array([1, 1])) },
      { ...stored, lengths: stored.lengths.slice(0, 4) },
    ]
    for (const bad of broken) expect(() => decodeLogprobs(bad)).toThrow(/stored logprobs/)
  })

  it('a v4 event written by the log reads back as the candidates that were appended', () => {
    const held = makeCandidate('s1', {
      logprobs: {
        tokens: ['🦊', ''],
        logprobs: [-0.5, -1e-310],
        topTokens: [['🦊', '"'], []],
        topLogprobs: [[-0.5, -7], []],
      },
    })
    const plain = makeCandidate('s2', { logprobs: null })
    const data = { candidates: [held, plain] }
    const written = JSON.parse(JSON.stringify(storedForm('candidates.recorded', data))) as typeof data
    expect(written.candidates[0]!.logprobs).toHaveProperty('lengths') // stored as blocks, not columns
    const read = readLogEvent({
      seq: 1,
      id: 'e',
      v: 4,
      kind: 'candidates.recorded',
      at: held.createdAt,
      data: written,
    })
    expect(read?.data).toEqual(data)
    expect(storedForm('decision.recorded', {})).toBeUndefined()
  })
})
