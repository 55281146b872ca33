import { afterAll, describe, expect, it } from 'vitest'
import {
  allNullPrototype,
  bytes,
  collect,
  errorsOf,
  makeTempDir,
  plain,
  recordsOf,
} from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())

/** header + `rows` rows "i,text i,tag"; row `bad` (1-based) gets a quote that never closes. */
function csvWithRunawayQuote(rows: number, bad: number, laterQuotes: boolean): string {
  const lines = ['id,text,tag']
  for (let i = 1; i <= rows; i++) {
    const text = laterQuotes ? `"text ${i}, quoted"` : `text ${i}`
    lines.push(i === bad ? `${i},"runaway ${i},tag` : `${i},${text},tag${i % 7}`)
  }
  return lines.join('\n') + '\n'
}

describe('CSV parser', () => {
  it('reads RFC 4180: quotes, escaped quotes, delimiters and newlines inside quotes', async () => {
    const path = temp.write('basic.csv', 'id,text\r\n1,plain\r\n2,"a, ""b"""\r\n3,"two\r\nlines"\r\n4,\r\n')
    const items = await collect(path, 'csv')
    expect(items.map((item) => item.location.line)).toEqual([2, 3, 4, 6])
    expect(plain(recordsOf(items))).toEqual([
      { id: '1', text: 'plain' },
      { id: '2', text: 'a, "b"' },
      { id: '3', text: 'two\r\nlines' },
      { id: '4', text: '' },
    ])
    expect(items.every((item) => item.kind !== 'record' || allNullPrototype(item.fields))).toBe(true)
  })

  it.each([
    ['first', 1],
    ['middle', 5_000],
    ['last', 10_000],
  ])('loses exactly one record of 10,000 when the %s row has an unterminated quote', async (_, bad) => {
    for (const laterQuotes of [true, false]) {
      const path = temp.write(
        `runaway-${bad}-${laterQuotes}.csv`,
        csvWithRunawayQuote(10_000, bad, laterQuotes),
      )
      const items = await collect(path, 'csv')
      const records = recordsOf(items)
      expect(records).toHaveLength(9_999)
      expect(errorsOf(items)).toHaveLength(1)
      expect(errorsOf(items)[0]!.line).toBe(bad + 1)
      expect(errorsOf(items)[0]!.reason).toMatch(/^unterminated quoted field/)
      const ids = records.map((record) => Number(record.id))
      expect(ids).toEqual(Array.from({ length: 10_000 }, (_, k) => k + 1).filter((id) => id !== bad))
      // No merging: every record holds only its own row.
      expect(records.every((record) => !String(record.text).includes('\n'))).toBe(true)
    }
  })

  it('gives up on a quote after maxQuotedLines lines or maxFieldBytes and restarts on the next line', async () => {
    const path = temp.write('limits.csv', csvWithRunawayQuote(50, 10, false))
    const byLines = await collect(path, 'csv', { limits: { maxQuotedLines: 5 } })
    expect(errorsOf(byLines)).toEqual([
      { line: 11, reason: 'unterminated quoted field (no closing quote within 5 lines)' },
    ])
    expect(recordsOf(byLines)).toHaveLength(49)
    const byBytes = await collect(path, 'csv', { limits: { maxFieldBytes: 40 } })
    expect(errorsOf(byBytes)).toEqual([
      { line: 11, reason: 'unterminated quoted field (no closing quote within 40 B)' },
    ])
    expect(recordsOf(byBytes)).toHaveLength(49)
    const atEof = await collect(temp.write('eof.csv', 'a,b\n1,2\n3,"open\n4,5\n'), 'csv')
    expect(errorsOf(atEof)).toEqual([
      { line: 3, reason: 'unterminated quoted field (the file ends inside it)' },
    ])
    expect(plain(recordsOf(atEof))).toEqual([
      { a: '1', b: '2' },
      { a: '4', b: '5' },
    ])
  })

  it('rejects a multi-line record whose column count is wrong (merged records) and re-reads its lines', async () => {
    // Row 2 opens a quote that row 4's stray quote closes: a 3-line "record" with 2 columns.
    const path = temp.write('merged.csv', 'a,b,c\n1,"x,y\n2,p,q\n3,r,s"\n4,t,u\n')
    const items = await collect(path, 'csv')
    expect(errorsOf(items)).toEqual([{ line: 2, reason: 'expected 3 columns, found 2' }])
    // Re-read alone, line 4's quote sits inside an unquoted field and is kept literally.
    expect(plain(recordsOf(items))).toEqual([
      { a: '2', b: 'p', c: 'q' },
      { a: '3', b: 'r', c: 's"' },
      { a: '4', b: 't', c: 'u' },
    ])
    expect(items.map((item) => item.location.line)).toEqual([2, 3, 4, 5])
  })

  it('rejects rows with the wrong column count and text after a closing quote', async () => {
    const path = temp.write('columns.csv', 'a,b,c\n1,2,3,4\n1,2\n1,"2"x,3\n1,2,3\n')
    expect(errorsOf(await collect(path, 'csv'))).toEqual([
      { line: 2, reason: 'expected 3 columns, found 4' },
      { line: 3, reason: 'expected 3 columns, found 2' },
      { line: 4, reason: 'unexpected "x" after the closing quote in column 2' },
    ])
  })

  it('rejects invalid UTF-8 in a record without losing the structure around it', async () => {
    const path = temp.write('utf8.csv', bytes('a,b\n1,"multi\nline ', [0xe2, 0x28, 0xa1], '"\n2,ok\n'))
    const items = await collect(path, 'csv')
    expect(errorsOf(items)).toEqual([{ line: 2, reason: 'invalid UTF-8 at byte 18' }])
    expect(plain(recordsOf(items))).toEqual([{ a: '2', b: 'ok' }])
  })

  it('rejects a closed field over maxFieldBytes but keeps the next record', async () => {
    const path = temp.write('field.csv', `a,b\n1,"${'x'.repeat(30)}"\n2,short\n`)
    const items = await collect(path, 'csv', { limits: { maxFieldBytes: 20 } })
    expect(errorsOf(items)).toEqual([{ line: 2, reason: 'field "b" is 30 B, over the 20 B limit' }])
    expect(recordsOf(items)).toHaveLength(1)
  })

  it('makes header names unique and names empty ones', async () => {
    const path = temp.write('header.csv', '\uFEFFcol,col,,col_2,,__proto__\n1,2,3,4,5,6\n')
    const [record] = recordsOf(await collect(path, 'csv'))
    expect(Object.keys(record!)).toEqual(['col', 'col_3', 'column_3', 'col_2', 'column_5', '__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(record!['__proto__']).toBe('6')
  })

  it('skips empty lines, reports a line over maxLineBytes, and reads a file without a final newline', async () => {
    const path = temp.write('blank.csv', `a,b\n\n1,2\n\r\n${'9'.repeat(100)},x\n3,4`)
    const items = await collect(path, 'csv', { limits: { maxLineBytes: 50 } })
    expect(errorsOf(items)).toEqual([{ line: 5, reason: 'line is 102 B, over the 50 B limit' }])
    expect(plain(recordsOf(items))).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ])
  })

  it('stops with one error when the header row cannot be read', async () => {
    const items = await collect(temp.write('bad-header.csv', 'a,"b\n1,2\n'), 'csv')
    expect(errorsOf(items)).toEqual([
      {
        line: 1,
        reason: 'could not read the header row: unterminated quoted field (the file ends inside it)',
      },
    ])
  })
})

describe('TSV parser', () => {
  it('splits on tabs and supports quoted fields', async () => {
    const path = temp.write('basic.tsv', 'id\ttext\n1\tplain, with comma\n2\t"tab\there"\n3\t"multi\nline"\n')
    expect(plain(recordsOf(await collect(path, 'tsv')))).toEqual([
      { id: '1', text: 'plain, with comma' },
      { id: '2', text: 'tab\there' },
      { id: '3', text: 'multi\nline' },
    ])
  })

  it('reads a field that merely starts with a quote literally when the quoted reading fails', async () => {
    const path = temp.write(
      'literal.tsv',
      'id\ttext\n1\t"Hi," she said.\n2\t"unbalanced\n3\tnext\n4\ttoo\tmany\n',
    )
    const items = await collect(path, 'tsv')
    expect(plain(recordsOf(items))).toEqual([
      { id: '1', text: '"Hi," she said.' },
      { id: '2', text: '"unbalanced' },
      { id: '3', text: 'next' },
    ])
    expect(errorsOf(items)).toEqual([{ line: 5, reason: 'expected 2 columns, found 3' }])
  })
})
