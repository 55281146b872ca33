// Inline <think>…</think> blocks are split out of a streamed answer wherever the network cut the tokens,
// including cuts inside a tag, and the common token with no '<' in it passes straight through.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ThinkSplitter } from '../../../src-main/engines/ollama/think-splitter'

const word = fc.constantFrom('a', 'b c', ' <', '<b>', 'x<thin', '</t', '😀', '\n')

describe('ThinkSplitter', () => {
  it('gives the same answer and trace wherever the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 12 }),
        fc.array(word, { maxLength: 12 }),
        fc.array(word, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (before, inside, after, points) => {
          const answer = before.join('') + after.join('')
          const trace = inside.join('')
          const whole = `${before.join('')}<think>${trace}</think>${after.join('')}`
          const at = [...new Set(points.map((p) => p % (whole.length + 1)))].sort((a, b) => a - b)
          const splitter = new ThinkSplitter()
          let text = ''
          let thinking = ''
          let from = 0
          for (const p of [...at, whole.length]) {
            const piece = splitter.push(whole.slice(from, p))
            text += piece.text
            thinking += piece.thinking
            from = p
          }
          const rest = splitter.flush()
          expect(text + rest.text).toBe(answer)
          expect(thinking + rest.thinking).toBe(trace)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('passes a token without a tag through whole, on the side it is on', () => {
    const splitter = new ThinkSplitter()
    expect(splitter.push(' plain')).toEqual({ text: ' plain', thinking: '' })
    expect(splitter.push('<think>')).toEqual({ text: '', thinking: '' })
    expect(splitter.push(' why')).toEqual({ text: '', thinking: ' why' })
    expect(splitter.push('</think> so')).toEqual({ text: ' so', thinking: '' })
  })
})
