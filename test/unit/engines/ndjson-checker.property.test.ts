// The line checker sees a streamed answer in whatever pieces the network cut it into: wherever the cuts
// fall (inside a line, inside a multi-byte character), it must pass on exactly the bytes it was given, in
// whole lines, count every line once, and see the final line.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ANSWER_FINAL, NdjsonChecker } from '../../../src-main/engines/ollama/ndjson-checker'
import { GenerationError } from '../../../src-main/engines/engine'

const part = fc.record({ content: fc.string({ unit: 'grapheme', maxLength: 20 }), n: fc.integer() })

function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)
  const pieces: Buffer[] = []
  let from = 0
  for (const p of [...at, bytes.length]) {
    if (p > from) pieces.push(bytes.subarray(from, p))
    from = Math.max(from, p)
  }
  return pieces
}

describe('NdjsonChecker', () => {
  it('passes every line exactly once, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (parts, points) => {
          const lines = [...parts.map((p) => JSON.stringify({ ...p, done: false })), '{"done":true}']
          const body = Buffer.from(lines.join('\n') + '\n', 'utf8')
          const checker = new NdjsonChecker(1024 * 1024)
          const out: Buffer[] = []
          for (const piece of cut(body, points)) {
            const { bytes, error } = checker.push(new Uint8Array(piece))
            expect(error).toBeNull()
            if (bytes) out.push(Buffer.from(bytes))
          }
          const rest = checker.finish()
          if (rest.bytes) out.push(Buffer.from(rest.bytes))
          expect(Buffer.concat(out).equals(body)).toBe(true)
          expect(checker.lines).toBe(lines.length)
          expect(checker.sawDone).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('finds an error object or a line after the final one among plain lines, and non-ASCII text does not shift the scan', () => {
    const line = (content: string): string => JSON.stringify({ message: { content }, done: false })
    const withError = new NdjsonChecker(1024)
    const good = `${line('é😀')}\n${line('{"error"')}\n`
    const checked = withError.push(Buffer.from(`${good}{"error":"boom"}\n${line('x')}\n`))
    expect(checked.error?.kind).toBe('model-error')
    expect(Buffer.from(checked.bytes!).toString()).toBe(good)
    expect(withError.lines).toBe(2)

    const afterFinal = new NdjsonChecker(1024, ANSWER_FINAL)
    const late = afterFinal.push(Buffer.from(`${line('ü')}\n{"done":true}\n${line('late')}\n`))
    expect(late.error?.message).toMatch(/follows the final line/)
    expect(afterFinal.sawDone).toBe(true)
    expect(afterFinal.lines).toBe(2)
  })

  it('takes a pull success line as final only where a pull can end', () => {
    const success = Buffer.from('{"status":"pulling"}\n{"status":"success"}\n')
    const pull = new NdjsonChecker(1024)
    pull.push(success)
    expect(pull.sawDone).toBe(true)
    const answer = new NdjsonChecker(1024, ANSWER_FINAL)
    answer.push(success)
    expect(answer.sawDone).toBe(false)
    expect(answer.lines).toBe(2)
  })

  it('fails a line longer than the limit while it is still arriving, without newline', () => {
    const checker = new NdjsonChecker(1000)
    const piece = new Uint8Array(300).fill(0x61)
    const push = (): unknown => checker.push(piece)
    push()
    push()
    push()
    expect(push).toThrow(GenerationError)
  })
})
