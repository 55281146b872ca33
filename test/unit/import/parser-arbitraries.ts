// fast-check generators for the parser property tests: hostile strings and JSON records, the byte-level
// damage each format must reject on its own, and a parse that must finish within a deadline.
import fc from 'fast-check'
import type { ImportFormat, ParsedItem, ParseOptions } from '../../../src-main/services/import/parsers/index'
import { collect } from './parser-test-helpers'

/** Characters that break naive parsers or renderers: NUL, bidi controls, BOM, zero-width, non-BMP, quotes. */
const specials = [
  '\u0000',
  '\u0001',
  '\u202E',
  '\u202C',
  '\u200F',
  '\u2066',
  '\u2069',
  '\uFEFF',
  '\u200B',
  '\u00A0',
  '\u3000',
  '\u2028',
  '😀',
  '𝕏',
  '🏳️‍🌈',
  'é',
  'ש',
  'ﷺ',
  '\uFFFF',
  '\uFFFD',
  '\r',
  '\n',
  '\r\n',
  '"',
  '""',
  "'",
  ',',
  '\t',
  '\\',
  ' ',
  '{',
  '}',
  '[',
  ']',
  ':',
  'a',
  'Z',
  '0',
]

export const hostileChar = fc.oneof(
  fc.constantFrom(...specials),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
)

export const hostileString = (maxLength = 12): fc.Arbitrary<string> =>
  fc.string({ unit: hostileChar, maxLength })

/** hostileString without the given characters (each replaced by 'x'). */
export const hostileWithout = (chars: RegExp, maxLength = 12): fc.Arbitrary<string> =>
  hostileString(maxLength).map((text) => text.replace(chars, 'x'))

const key = fc.oneof(hostileString(8), fc.constantFrom('__proto__', 'constructor', 'prototype', 'text', ''))

const scalar = fc.oneof(
  hostileString(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
)

function jsonValue(depth: number): fc.Arbitrary<unknown> {
  if (depth === 0) return scalar
  return fc.oneof(
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(jsonValue(depth - 1), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(key, jsonValue(depth - 1), { maxKeys: 3 }) },
  )
}

/** A JSON object every parser must accept under `propertyLimits`. */
export const jsonRecord: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(key, jsonValue(3), {
  maxKeys: 5,
})

/** Small limits so that "huge" damage stays small; every generated valid value fits well within them. */
export const propertyLimits = { maxFieldBytes: 512, maxLineBytes: 4096, maxDepth: 64, maxQuotedLines: 20 }

/** Byte sequences no UTF-8 decoder may accept (the fourth is an encoded surrogate, CESU-style). */
export const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xc3, 0x28],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
)

export const lineEnding = fc.constantFrom('\n', '\r\n')

export async function parseWithin(
  path: string,
  format: ImportFormat,
  options: ParseOptions,
  ms = 10_000,
): Promise<ParsedItem[]> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`parsing ${path} took over ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([collect(path, format, options), deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** What a unit of input must become: a record equal to `fields`, an error, or (TSV's literal rule) either. */
export interface Expected {
  line: number
  byteOffset?: number
  kind: 'record' | 'error' | 'either'
  fields?: Record<string, unknown>
}

/** Every expected unit yields exactly one item, in order, at its location, of its kind: nothing dropped or merged. */
export function checkItems(items: ParsedItem[], expected: Expected[]): void {
  const describe = (): string =>
    JSON.stringify({
      items: items.map((i) => [i.location, i.kind, i.kind === 'error' ? i.reason : '']),
      expected,
    })
  if (items.length !== expected.length)
    throw new Error(`expected ${expected.length} items, got ${items.length}: ${describe()}`)
  items.forEach((item, k) => {
    const want = expected[k]!
    const where = `item ${k}: ${describe()}`
    if (item.location.line !== want.line)
      throw new Error(`line ${item.location.line} != ${want.line} at ${where}`)
    if (want.byteOffset !== undefined && item.location.byteOffset !== want.byteOffset) {
      throw new Error(`offset ${item.location.byteOffset} != ${want.byteOffset} at ${where}`)
    }
    if (want.kind !== 'either' && item.kind !== want.kind)
      throw new Error(`kind ${item.kind} != ${want.kind} at ${where}`)
    if (
      item.kind === 'record' &&
      want.kind === 'record' &&
      JSON.stringify(item.fields) !== JSON.stringify(want.fields)
    ) {
      throw new Error(`fields ${JSON.stringify(item.fields)} != ${JSON.stringify(want.fields)} at ${where}`)
    }
    if (item.kind === 'error' && (item.reason === '' || item.location.line < 1))
      throw new Error(`unlocated error at ${where}`)
  })
}

export const bomBytes = Buffer.from([0xef, 0xbb, 0xbf])

/** A file whose first line starts with U+FEFF needs a real BOM in front, or the reader strips the data. */
export function withBom(body: Buffer, wantBom: boolean): Buffer {
  const startsWithBom = body.subarray(0, 3).equals(bomBytes)
  return wantBom || startsWithBom ? Buffer.concat([bomBytes, body]) : body
}
