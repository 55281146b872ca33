import { describe, expect, it } from 'vitest'
import { LineDecoder, maxLineChars } from '../../../../src-main/services/training/line-decoder'

const feed = (decoder: LineDecoder, chunks: (string | Buffer)[]) =>
  chunks.flatMap((chunk) => decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))

describe('LineDecoder', () => {
  it('joins lines split across chunks and ends them on \\n, \\r\\n and \\r', () => {
    const decoder = new LineDecoder()
    const lines = feed(decoder, ['al', 'pha\nbe', 'ta\r', '\ngam', 'ma\r 10%\r 20%\r', '\n', 'tail'])
    expect([...lines, ...decoder.end()]).toEqual(['alpha', 'beta', 'gamma', ' 10%', ' 20%', 'tail'])
  })

  it('decodes a multi-byte character cut between chunks', () => {
    const bytes = Buffer.from('loss ✓ 😀\n')
    const decoder = new LineDecoder()
    const lines = [...bytes].map((byte) => decoder.push(Buffer.from([byte]))).flat()
    expect(lines).toEqual(['loss ✓ 😀'])
  })

  it('cuts a line that never ends instead of growing without bound', () => {
    const decoder = new LineDecoder()
    const lines = feed(decoder, ['x'.repeat(maxLineChars * 2 + 5)])
    expect(lines.map((line) => line.length)).toEqual([maxLineChars, maxLineChars])
    expect(decoder.end()).toEqual(['xxxxx'])
  })
})
