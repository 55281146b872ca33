// JSON arrays under generated damage: each element is one record or one error at its own byte offset,
// damage that breaks the structure never throws or hangs, and valid arrays are a serialise fixed point.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { serialise } from '../../../src-main/services/import/parsers/index'
import {
  checkItems,
  hostileString,
  hostileWithout,
  invalidUtf8,
  jsonRecord,
  parseWithin,
  propertyLimits,
  withBom,
} from './parser-arbitraries'
import type { Expected } from './parser-arbitraries'
import { makeTempDir } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())
let fileNo = 0

type Element = { kind: 'good'; record: Record<string, unknown> } | { kind: 'bad'; bytes: Buffer }

const text = (value: string): Buffer => Buffer.from(value, 'utf8')
const space = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\n  ', ' \r\n ')

/** Damage that keeps strings and brackets balanced, so the scanner must still find the next element. */
const badElement: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(hostileString(), invalidUtf8)
    .map(([s, bad]) =>
      Buffer.concat([text(`{"t":${JSON.stringify(s).slice(0, -1)}`), Buffer.from(bad), text('"}')]),
    ),
  hostileString().map((s) => text(`{"t":${JSON.stringify(s).slice(0, -1)}\\udc00"}`)),
  fc
    .integer({ min: 65, max: 400 })
    .map((depth) => text(`{"d":${'[{"a":'.repeat(depth)}0${'}]'.repeat(depth)}}`)),
  fc.integer({ min: 513, max: 2000 }).map((size) => text(`{"t":"${'x'.repeat(size)}"}`)),
  fc.integer({ min: 4097, max: 6000 }).map((size) => text(`{"t":"${'y'.repeat(size)}"}`)),
  fc
    .oneof(
      fc.constant('null'),
      fc.constant('[]'),
      fc.integer().map(String),
      hostileString().map((s) => JSON.stringify(s)),
    )
    .map(text),
  fc
    .constantFrom('{"a" 1}', '{"a":1,}', '{"a":tru}', '{a:1}', 'tru', '{"a":[1}', '{"t":"x"}}', '{"a":1e999}')
    .map(text),
)

const element: fc.Arbitrary<Element> = fc.oneof(
  { weight: 3, arbitrary: jsonRecord.map((record) => ({ kind: 'good' as const, record })) },
  { weight: 2, arbitrary: badElement.map((bytes) => ({ kind: 'bad' as const, bytes })) },
)

/** Builds the file and the expected location of every element. */
function layout(
  elements: [Element, string][],
  lead: string,
  hasBom: boolean,
): { file: Buffer; expected: Expected[] } {
  const parts: Buffer[] = [text(`${lead}[`)]
  const expected: Expected[] = []
  let offset = (hasBom ? 3 : 0) + Buffer.byteLength(lead) + 1
  let line = 1 + (lead.match(/\n/g)?.length ?? 0)
  const add = (part: Buffer): void => {
    parts.push(part)
    offset += part.length
    for (const byte of part) if (byte === 0x0a) line++
  }
  elements.forEach(([el, gap], index) => {
    add(text(gap))
    const kind = el.kind === 'good' ? 'record' : 'error'
    expected.push({ line, byteOffset: offset, kind, ...(el.kind === 'good' ? { fields: el.record } : {}) })
    add(el.kind === 'good' ? text(JSON.stringify(el.record)) : el.bytes)
    add(text(index < elements.length - 1 ? `${gap},` : gap))
  })
  add(text(']\n'))
  return { file: withBom(Buffer.concat(parts), hasBom), expected }
}

describe('JSON array properties', () => {
  it('accounts for every element of a damaged array exactly once, at its byte offset', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(element, space), { maxLength: 20 }),
        space,
        fc.boolean(),
        async (elements, lead, hasBom) => {
          const { file, expected } = layout(elements, lead, hasBom)
          const path = temp.write(`damaged-${fileNo++}.json`, file)
          checkItems(await parseWithin(path, 'json', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('rejects only the element with a line break inside a string when elements sit one per line', async () => {
    const broken = fc
      .tuple(hostileWithout(/["\\\r\n]/g), hostileWithout(/["\\\r\n]/g))
      .map(([a, b]) => text(`{"t":"${a}\nq${b}"}`))
    const unit: fc.Arbitrary<Element> = fc.oneof(
      jsonRecord.map((record) => ({ kind: 'good' as const, record })),
      broken.map((bytes) => ({ kind: 'bad' as const, bytes })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(unit, { maxLength: 15 }),
        fc.constantFrom('\n', '\r\n'),
        async (elements, eol) => {
          const { file, expected } = layout(
            elements.map((el) => [el, eol] as [Element, string]),
            '',
            false,
          )
          const path = temp.write(`newlines-${fileNo++}.json`, file)
          checkItems(await parseWithin(path, 'json', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('never throws or hangs on a truncated array, and keeps every element before the cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonRecord, { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (records, where) => {
          const whole = Buffer.from(serialise(records, 'json'))
          const cut = 1 + Math.floor(where * (whole.length - 4)) // somewhere before the final "]\n"
          const path = temp.write(`truncated-${fileNo++}.json`, whole.subarray(0, cut))
          const items = await parseWithin(path, 'json', { limits: propertyLimits })
          const complete = records.filter((_, index) => {
            const end = Buffer.byteLength(
              `[\n${records
                .slice(0, index + 1)
                .map((r) => JSON.stringify(r))
                .join(',\n')},`,
            )
            return end <= cut
          })
          const got = items.filter((item) => item.kind === 'record').slice(0, complete.length)
          if (
            JSON.stringify(got.map((item) => item.kind === 'record' && item.fields)) !==
            JSON.stringify(complete)
          ) {
            throw new Error('lost an element before the cut')
          }
          if (items.at(-1)?.kind !== 'error') throw new Error('a truncated array must end with an error')
          if (items.length > complete.length + 2) throw new Error(`too many items: ${items.length}`)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('is a fixed point: parse(serialise(r)) equals r, and serialise(parse(serialise(r))) === serialise(r)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonRecord, { maxLength: 10 }), async (records) => {
        const written = serialise(records, 'json')
        const path = temp.write(`fixed-${fileNo++}.json`, written)
        const items = await parseWithin(path, 'json', { limits: propertyLimits })
        checkItems(
          items,
          records.map((record, index) => ({ line: index + 2, kind: 'record', fields: record })),
        )
        const again = serialise(
          items.map((item) => (item.kind === 'record' ? item.fields : {})),
          'json',
        )
        if (again !== written) throw new Error(`not a fixed point:\n${written}\n${again}`)
      }),
      { numRuns: 1000 },
    )
  })
})
