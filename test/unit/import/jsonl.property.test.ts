// JSONL under generated damage: every non-blank line is exactly one record or one located error, and
// valid record sets survive serialise → parse → serialise unchanged.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { serialise } from '../../../src-main/services/import/parsers/index'
import {
  checkItems,
  hostileString,
  invalidUtf8,
  jsonRecord,
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

type Unit =
  | { kind: 'good'; record: Record<string, unknown> }
  | { kind: 'bad'; bytes: Buffer }
  | { kind: 'blank'; text: string }

const text = (value: string): Buffer => Buffer.from(value, 'utf8')

/** One line each, and each must be rejected on its own. */
const badLine: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(hostileString(), invalidUtf8)
    .map(([s, bad]) =>
      Buffer.concat([text(`{"t":${JSON.stringify(s).slice(0, -1)}`), Buffer.from(bad), text('"}')]),
    ),
  jsonRecord.chain((record) => {
    const json = JSON.stringify(record)
    return fc.integer({ min: 1, max: json.length - 1 }).map((cut) => text(json.slice(0, cut)))
  }),
  fc.tuple(hostileString(), fc.constantFrom('\\ud800', '\\udfff', '\\ud83d"', '\\ude00')).map(([s, lone]) => {
    const quoted = JSON.stringify(s)
    return text(`{"t":${quoted.slice(0, -1)}${lone.replace('"', '')}"}`)
  }),
  fc.integer({ min: 65, max: 5000 }).map((depth) => text(`{"d":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
  fc.integer({ min: 513, max: 3000 }).map((size) => text(`{"t":"${'é'.repeat(Math.ceil(size / 2))}"}`)),
  fc.integer({ min: 4097, max: 9000 }).map((size) => text(`{"t":"${'x'.repeat(size)}"}`)),
  fc
    .oneof(
      fc.constant('[]'),
      fc.constant('null'),
      fc.constant('true'),
      fc.integer().map(String),
      hostileString().map((s) => JSON.stringify(s)),
      fc.array(fc.integer(), { maxLength: 3 }).map((a) => JSON.stringify(a)),
    )
    .map(text),
  jsonRecord.map((record) => text(`${JSON.stringify(record)} x`)),
  jsonRecord.map((record) => text(`\uFEFF${JSON.stringify(record)}`)),
  fc
    .constantFrom('{a:1}', '{"a":1,}', '{"t":"raw\u0000nul"}', "{'a':1}", '{"a":NaN}', '{"a":1e999}')
    .map(text),
)

const unit: fc.Arbitrary<Unit> = fc.oneof(
  { weight: 4, arbitrary: jsonRecord.map((record) => ({ kind: 'good' as const, record })) },
  { weight: 3, arbitrary: badLine.map((bytes) => ({ kind: 'bad' as const, bytes })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', ' ', '\t', ' \t ')
      .map((blank) => ({ kind: 'blank' as const, text: blank })),
  },
)

describe('JSONL properties', () => {
  it('accounts for every line of a damaged file exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(unit, lineEnding), { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        async (lines, hasBom, hasFinalNewline) => {
          const parts: Buffer[] = []
          const expected: Expected[] = []
          lines.forEach(([u, eol], index) => {
            const isLast = index === lines.length - 1
            parts.push(
              u.kind === 'good' ? text(JSON.stringify(u.record)) : u.kind === 'bad' ? u.bytes : text(u.text),
            )
            if (!isLast || hasFinalNewline) parts.push(text(eol))
            if (u.kind === 'good') expected.push({ line: index + 1, kind: 'record', fields: u.record })
            if (u.kind === 'bad') expected.push({ line: index + 1, kind: 'error' })
          })
          const path = temp.write(`damaged-${fileNo++}.jsonl`, withBom(Buffer.concat(parts), hasBom))
          checkItems(await parseWithin(path, 'jsonl', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('is a fixed point: parse(serialise(r)) equals r, and serialise(parse(serialise(r))) === serialise(r)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonRecord, { maxLength: 10 }), async (records) => {
        const written = serialise(records, 'jsonl')
        const path = temp.write(`fixed-${fileNo++}.jsonl`, written)
        const items = await parseWithin(path, 'jsonl', { limits: propertyLimits })
        checkItems(
          items,
          records.map((record, index) => ({ line: index + 1, kind: 'record', fields: record })),
        )
        const again = serialise(
          items.map((item) => (item.kind === 'record' ? item.fields : {})),
          'jsonl',
        )
        if (again !== written) throw new Error(`not a fixed point:\n${written}\n${again}`)
      }),
      { numRuns: 1000 },
    )
  })
})
