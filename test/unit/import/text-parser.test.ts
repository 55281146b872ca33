import { afterAll, describe, expect, it } from 'vitest'
import { bytes, collect, errorsOf, makeTempDir, recordsOf } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())

describe('text-lines parser', () => {
  it('makes one record per non-blank line, keeping the text exactly', async () => {
    const path = temp.write('lines.txt', '\uFEFFfirst\r\n\n  \t \n  indented \nlast\u00A0line\n\u3000\n')
    const items = await collect(path, 'text-lines')
    expect(items.map((item) => item.location.line)).toEqual([1, 4, 5, 6])
    expect(recordsOf(items).map((record) => record.text)).toEqual([
      'first',
      '  indented ',
      'last\u00A0line',
      '\u3000',
    ])
    expect(Object.getPrototypeOf(recordsOf(items)[0])).toBeNull()
  })

  it('rejects invalid UTF-8, over-long lines and big fields line by line', async () => {
    const path = temp.write(
      'bad.txt',
      bytes('ok\nbad ', [0xed, 0xa0, 0x80], '\n', 'x'.repeat(60), '\n', 'y'.repeat(30), '\nend'),
    )
    const items = await collect(path, 'text-lines', { limits: { maxLineBytes: 50, maxFieldBytes: 20 } })
    expect(errorsOf(items)).toEqual([
      { line: 2, reason: 'invalid UTF-8 at byte 7' },
      { line: 3, reason: 'line is 60 B, over the 50 B limit' },
      { line: 4, reason: 'field "text" is 30 B, over the 20 B limit' },
    ])
    expect(recordsOf(items).map((record) => record.text)).toEqual(['ok', 'end'])
  })
})

describe('text-paragraphs parser', () => {
  it('splits on blank lines, joins lines with \\n and reports the first line', async () => {
    const path = temp.write('paras.txt', '\n\nOne\r\nstill one\n\n \n\nTwo\n\nThree\na\nb')
    const items = await collect(path, 'text-paragraphs')
    expect(items.map((item) => item.location.line)).toEqual([3, 8, 10])
    expect(recordsOf(items).map((record) => record.text)).toEqual(['One\nstill one', 'Two', 'Three\na\nb'])
  })

  it('rejects a whole paragraph for one bad line and goes on', async () => {
    const path = temp.write('bad-paras.txt', bytes('good\n\nbad\nline ', [0xff], '\nmore\n\nlast\n'))
    const items = await collect(path, 'text-paragraphs')
    expect(errorsOf(items)).toEqual([{ line: 3, reason: 'invalid UTF-8 at byte 15' }])
    expect(recordsOf(items).map((record) => record.text)).toEqual(['good', 'last'])
  })

  it('rejects a paragraph over maxFieldBytes or with a line over maxLineBytes', async () => {
    const path = temp.write(
      'big-paras.txt',
      `${'a'.repeat(10)}\n${'b'.repeat(10)}\n\n${'c'.repeat(40)}\nd\n\nok\n`,
    )
    const items = await collect(path, 'text-paragraphs', { limits: { maxFieldBytes: 15, maxLineBytes: 30 } })
    expect(errorsOf(items)).toEqual([
      { line: 1, reason: 'field "text" is 21 B, over the 15 B limit' },
      { line: 4, reason: 'line 4 is 40 B, over the 30 B limit' },
    ])
    expect(recordsOf(items).map((record) => record.text)).toEqual(['ok'])
  })
})
