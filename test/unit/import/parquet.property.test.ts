// Parquet under generated damage: every row is one record or one error at its row number, whatever the
// row-group layout, and valid tables read back equal (R6: "Parquet reads back equal").
import fc from 'fast-check'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { afterAll, describe, it } from 'vitest'
import { checkItems, hostileString, invalidUtf8, parseWithin, propertyLimits } from './parser-arbitraries'
import type { Expected } from './parser-arbitraries'
import { makeTempDir } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())
let fileNo = 0

type Row =
  { kind: 'good'; text: string | null; n: number } | { kind: 'bad'; text: Uint8Array | string; n: number }

const row: fc.Arbitrary<Row> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('good' as const),
      text: fc.option(hostileString(), { nil: null }),
      n: fc.integer(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      text: fc.oneof(
        fc
          .tuple(hostileString(), invalidUtf8)
          .map(([s, bad]) => new Uint8Array(Buffer.concat([Buffer.from(s), Buffer.from(bad)]))),
        fc.integer({ min: 513, max: 3000 }).map((size) => 'é'.repeat(Math.ceil(size / 2))),
      ),
      n: fc.integer(),
    }),
  },
)

function write(rows: Row[], rowGroupSize: number): string {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
      { name: 'n', data: rows.map((r) => r.n), type: 'INT32' },
    ],
    rowGroupSize,
    statistics: false,
  })
  return temp.write(`rows-${fileNo++}.parquet`, new Uint8Array(buffer))
}

describe('Parquet properties', () => {
  it('accounts for every row exactly once, at its row number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        async (rows, groupSize) => {
          const path = write(rows, groupSize)
          const expected: Expected[] = rows.map((r, index) =>
            r.kind === 'good'
              ? { line: index + 1, kind: 'record', fields: { text: r.text, n: r.n } }
              : { line: index + 1, kind: 'error' },
          )
          checkItems(await parseWithin(path, 'parquet', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('reads back every valid row equal, the __proto__ column included', async () => {
    const valid = fc.array(
      fc.record({ text: fc.option(hostileString(), { nil: null }), proto: hostileString(), n: fc.integer() }),
      { maxLength: 15 },
    )
    await fc.assert(
      fc.asyncProperty(valid, fc.integer({ min: 1, max: 8 }), async (rows, groupSize) => {
        const buffer = parquetWriteBuffer({
          columnData: [
            { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
            { name: '__proto__', data: rows.map((r) => r.proto), type: 'STRING' },
            { name: 'n', data: rows.map((r) => r.n), type: 'INT32' },
          ],
          rowGroupSize: groupSize,
        })
        const path = temp.write(`valid-${fileNo++}.parquet`, new Uint8Array(buffer))
        const expected: Expected[] = rows.map((r, index) => {
          const fields = Object.create(null) as Record<string, unknown>
          Object.assign(fields, { text: r.text })
          fields['__proto__'] = r.proto
          fields.n = r.n
          return { line: index + 1, kind: 'record', fields }
        })
        checkItems(await parseWithin(path, 'parquet', { limits: propertyLimits }), expected)
      }),
      { numRuns: 1000 },
    )
  })
})
