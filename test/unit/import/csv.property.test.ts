// CSV and TSV under generated damage: every row is exactly one record or one error at the line where it
// starts (a bad quote never swallows or merges its neighbours), and valid tables are a serialise fixed point.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { serialise } from '../../../src-main/services/import/parsers/index'
import {
  checkItems,
  hostileString,
  hostileWithout,
  invalidUtf8,
  lineEnding,
  parseWithin,
  propertyLimits,
  withBom,
} from './parser-arbitraries'
import type { Expected } from './parser-arbitraries'
import { makeTempDir } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())
let fileNo = 0

const text = (value: string): Buffer => Buffer.from(value, 'utf8')

/** Independent of the implementation: RFC 4180 quoting, plus `""` for a lone empty cell (else a blank line). */
function quote(value: string, delimiter: string, isOnlyCell: boolean): string {
  const special = value.includes(delimiter) || /["\r\n]/.test(value) || (value === '' && isOnlyCell)
  return special ? `"${value.replaceAll('"', '""')}"` : value
}
const row = (values: string[], delimiter: string): string =>
  values.map((value) => quote(value, delimiter, values.length === 1)).join(delimiter)

type Row = { kind: 'good'; values: string[] } | { kind: 'bad'; bytes: Buffer } | { kind: 'blank' }

function rowArbitrary(columns: number, delimiter: string): fc.Arbitrary<Row> {
  const single = new RegExp(`[\\r\\n"${delimiter}]`, 'g')
  // A value (and the text after an unterminated quote) may not *start* with a quote, the delimiter or a
  // line break. An unterminated quote is closed by the next quote it meets; only an opening quote followed
  // by the delimiter or a line end would close it cleanly, and with a matching column count that merge is
  // indistinguishable from a real multi-line field (column count is the detector, as the issue defines).
  // Anywhere else in a value those characters are fine.
  const safeStart = (v: string): string => (/^["\r\n\t,]/.test(v) ? `a${v}` : v)
  const value = hostileString().map(safeStart)
  const values = fc.array(value, { minLength: columns, maxLength: columns })
  const flat = fc.array(hostileWithout(single), { minLength: columns, maxLength: columns })
  // Multi-line cells only in rows that are valid in structure: a rejected multi-line record is re-read
  // from its second line on (the rule that keeps one bad quote from costing more than one record).
  const oneLine = fc.array(hostileWithout(/[\r\n]/g).map(safeStart), { minLength: 1, maxLength: columns + 2 })
  const bad: fc.Arbitrary<Buffer> = fc.oneof(
    // wrong column count
    oneLine.filter((vs) => vs.length !== columns).map((vs) => text(row(vs, delimiter))),
    // a quote that never closes (a truncated row)
    fc
      .tuple(flat, fc.nat(columns - 1))
      .map(([vs, at]) => text([...vs.slice(0, at), `"q${vs[at]}`].join(delimiter))),
    // text after a closing quote
    fc
      .tuple(
        flat,
        fc.nat(columns - 1),
        hostileWithout(single, 3).map((t) => `z${t}`),
      )
      .map(([vs, at, tail]) => text(vs.map((v, i) => (i === at ? `"${v}"${tail}` : v)).join(delimiter))),
    // invalid UTF-8 inside a cell (quoted or not, possibly a multi-line one)
    fc.tuple(values, fc.nat(columns - 1), invalidUtf8).map(([vs, at, bytes]) => {
      const cells = vs.map((v) => quote(v, delimiter, columns === 1))
      const cell = cells[at]!
      const split = cell.startsWith('"') ? 1 : 0
      const damaged = Buffer.concat([text(cell.slice(0, split)), Buffer.from(bytes), text(cell.slice(split))])
      const before = cells
        .slice(0, at)
        .map((c) => `${c}${delimiter}`)
        .join('')
      const after = cells
        .slice(at + 1)
        .map((c) => `${delimiter}${c}`)
        .join('')
      return Buffer.concat([text(before), damaged, text(after)])
    }),
    // a field over maxFieldBytes (on one line), and a line over maxLineBytes
    fc.tuple(flat, fc.nat(columns - 1), fc.integer({ min: 513, max: 3000 })).map(([vs, at, size]) =>
      text(
        row(
          vs.map((v, i) => (i === at ? 'é'.repeat(Math.ceil(size / 2)) : v)),
          delimiter,
        ),
      ),
    ),
    fc.integer({ min: 4097, max: 6000 }).map((size) => text('w'.repeat(size))),
  )
  return fc.oneof(
    { weight: 4, arbitrary: values.map((vs) => ({ kind: 'good' as const, values: vs })) },
    { weight: 3, arbitrary: bad.map((bytes) => ({ kind: 'bad' as const, bytes })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  )
}

const headerArbitrary = fc.uniqueArray(
  hostileString(8).filter((name) => name !== ''),
  { minLength: 1, maxLength: 4 },
)

describe.each([
  ['csv', ','],
  ['tsv', '\t'],
] as const)('%s properties', (format, delimiter) => {
  it('accounts for every row of a damaged file exactly once, at the line where it starts', async () => {
    const input = headerArbitrary.chain((header) =>
      fc.tuple(
        fc.constant(header),
        fc.array(fc.tuple(rowArbitrary(header.length, delimiter), lineEnding), { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
      ),
    )
    await fc.assert(
      fc.asyncProperty(input, async ([header, rows, hasBom, hasFinalNewline]) => {
        const parts: Buffer[] = [text(`${row(header, delimiter)}\n`)]
        let line = 1 + (parts[0]!.toString().match(/\n/g)?.length ?? 0)
        const expected: Expected[] = []
        rows.forEach(([r, eol], index) => {
          const body =
            r.kind === 'good' ? text(row(r.values, delimiter)) : r.kind === 'bad' ? r.bytes : text('')
          const ending = index < rows.length - 1 || hasFinalNewline ? eol : ''
          if (r.kind === 'good') {
            const fields = Object.fromEntries(header.map((name, i) => [name, r.values[i]]))
            expected.push({ line, kind: 'record', fields })
          }
          // TSV reads a line with a quote literally when its quoted reading fails: that may be a record.
          if (r.kind === 'bad')
            expected.push({ line, kind: format === 'tsv' && r.bytes.includes(0x22) ? 'either' : 'error' })
          parts.push(body, text(ending))
          line += 1 + (body.toString('latin1').match(/\n/g)?.length ?? 0)
        })
        const path = temp.write(`damaged-${fileNo++}.${format}`, withBom(Buffer.concat(parts), hasBom))
        checkItems(await parseWithin(path, format, { limits: propertyLimits }), expected)
      }),
      { numRuns: 1000 },
    )
  })

  it('is a fixed point: parse(serialise(r)) equals r, and serialise(parse(serialise(r))) === serialise(r)', async () => {
    const input = headerArbitrary.chain((header) =>
      fc.array(
        fc.array(hostileString(), { minLength: header.length, maxLength: header.length }).map((values) => {
          const record = Object.create(null) as Record<string, unknown>
          header.forEach((name, i) => (record[name] = values[i]))
          return record
        }),
        { maxLength: 10 },
      ),
    )
    await fc.assert(
      fc.asyncProperty(input, async (records) => {
        const written = serialise(records, format)
        const path = temp.write(`fixed-${fileNo++}.${format}`, written)
        const items = await parseWithin(path, format, { limits: { ...propertyLimits, maxQuotedLines: 1000 } })
        if (records.length === 0) {
          if (items.length !== 0) throw new Error('an empty file must give no items')
          return
        }
        // Row k starts after the header and every earlier row, counting line breaks inside quoted cells.
        const lines: number[] = []
        const header = Object.keys(records[0]!)
        let line = 2 + (row(header, delimiter).match(/\n/g)?.length ?? 0)
        for (const record of records) {
          lines.push(line)
          line +=
            1 +
            (row(
              header.map((name) => String(record[name])),
              delimiter,
            ).match(/\n/g)?.length ?? 0)
        }
        checkItems(
          items,
          records.map((record, index) => ({ line: lines[index]!, kind: 'record', fields: record })),
        )
        const again = serialise(
          items.map((item) => (item.kind === 'record' ? item.fields : {})),
          format,
        )
        if (again !== written) throw new Error(`not a fixed point:\n${written}\n${again}`)
      }),
      { numRuns: 1000 },
    )
  })
})
