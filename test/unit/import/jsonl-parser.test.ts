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

describe('JSONL parser', () => {
  it('reads one object per line with its line and byte offset, skipping blank lines', async () => {
    const path = temp.write('basic.jsonl', '{"a":1}\n\n   \n{"b":"two"}\n')
    const items = await collect(path, 'jsonl')
    expect(items.map((item) => item.location)).toEqual([
      { line: 1, byteOffset: 0 },
      { line: 4, byteOffset: 13 },
    ])
    expect(plain(recordsOf(items))).toEqual([{ a: 1 }, { b: 'two' }])
  })

  it('strips the BOM once, handles CRLF and a last line without a newline', async () => {
    const path = temp.write('bom.jsonl', '\uFEFF{"a":"\uFEFFkept"}\r\n{"b":2}')
    const items = await collect(path, 'jsonl')
    expect(plain(recordsOf(items))).toEqual([{ a: '\uFEFFkept' }, { b: 2 }])
    expect(items[0]!.location).toEqual({ line: 1, byteOffset: 3 })
  })

  it('rejects invalid UTF-8 on its own line only, saying where', async () => {
    const path = temp.write('utf8.jsonl', bytes('{"a":1}\n{"t":"ab', [0xc3, 0x28], '"}\n{"c":3}\n'))
    const items = await collect(path, 'jsonl')
    expect(errorsOf(items)).toEqual([{ line: 2, reason: 'invalid UTF-8 at byte 16' }])
    expect(plain(recordsOf(items))).toEqual([{ a: 1 }, { c: 3 }])
    expect(JSON.stringify(recordsOf(items))).not.toContain('\uFFFD')
  })

  it('rejects lone surrogates in values and in keys, nested ones included', async () => {
    const path = temp.write(
      'surrogates.jsonl',
      [
        '{"text":"a\\ud800b"}',
        '{"m":{"x":["ok","\\udc00"]}}',
        '{"\\ud83d":1}',
        '{"ok":"\\ud83d\\ude00"}',
      ].join('\n'),
    )
    const items = await collect(path, 'jsonl')
    expect(errorsOf(items)).toEqual([
      { line: 1, reason: 'lone surrogate in field "text"' },
      { line: 2, reason: 'lone surrogate in field "m.x[1]"' },
      { line: 3, reason: 'lone surrogate in a field name' },
    ])
    expect(plain(recordsOf(items))).toEqual([{ ok: '😀' }])
  })

  it('rejects arrays and scalars as "not a JSON object" and broken JSON as malformed', async () => {
    const path = temp.write('shapes.jsonl', '[1,2]\n"text"\n42\nnull\n{"a":1\n{"a":1} extra\n')
    const reasons = errorsOf(await collect(path, 'jsonl')).map((error) => error.reason)
    expect(reasons.slice(0, 4)).toEqual(Array(4).fill('not a JSON object'))
    expect(reasons[4]).toMatch(/^malformed JSON: /)
    expect(reasons[5]).toMatch(/^malformed JSON: /)
  })

  it('rejects nesting deeper than the limit without overflowing the stack', async () => {
    const ok = `{"d":${'['.repeat(63)}${']'.repeat(63)}}`
    const deep = `{"d":${'['.repeat(64)}${']'.repeat(64)}}`
    const huge = `{"d":${'['.repeat(200_000)}${']'.repeat(200_000)}}`
    const path = temp.write('deep.jsonl', [ok, deep, huge].join('\n'))
    const items = await collect(path, 'jsonl')
    expect(items.map((item) => item.kind)).toEqual(['record', 'error', 'error'])
    expect(errorsOf(items).map((error) => error.reason)).toEqual([
      'nesting deeper than 64',
      'nesting deeper than 64',
    ])
    const custom = await collect(path, 'jsonl', { limits: { maxDepth: 3 } })
    expect(errorsOf(custom)[0]!.reason).toBe('nesting deeper than 3')
  })

  it('rejects a string field over maxFieldBytes, counted in UTF-8 bytes', async () => {
    const path = temp.write(
      'big.jsonl',
      [`{"text":"${'é'.repeat(60)}"}`, `{"text":"${'e'.repeat(100)}"}`].join('\n'),
    )
    const items = await collect(path, 'jsonl', { limits: { maxFieldBytes: 100 } })
    expect(errorsOf(items)).toEqual([{ line: 1, reason: 'field "text" is 120 B, over the 100 B limit' }])
    const mib = 1024 * 1024
    const large = temp.write('large.jsonl', `{"text":"${'x'.repeat(Math.round(1.2 * mib))}"}\n`)
    expect(errorsOf(await collect(large, 'jsonl'))[0]!.reason).toBe(
      'field "text" is 1.2 MiB, over the 1 MiB limit',
    )
  })

  it('keeps __proto__ as a plain data key and never pollutes Object.prototype', async () => {
    const path = temp.write(
      'proto.jsonl',
      '{"__proto__":{"polluted":true},"text":"x"}\n{"nested":{"__proto__":{"polluted":1}}}\n{"constructor":{"prototype":{"polluted":1}}}\n',
    )
    const items = await collect(path, 'jsonl')
    const [first, second] = recordsOf(items)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(first!)).toEqual(['__proto__', 'text'])
    expect(plain(first!['__proto__'])).toEqual({ polluted: true })
    expect(Object.getPrototypeOf(first)).toBeNull()
    expect(Object.keys(second!.nested as object)).toEqual(['__proto__'])
    expect(items.every((item) => item.kind !== 'record' || allNullPrototype(item.fields))).toBe(true)
    expect(JSON.stringify(first)).toBe('{"__proto__":{"polluted":true},"text":"x"}')
  })

  it('rejects numbers JSON cannot hold exactly (1e400 would become Infinity)', async () => {
    const path = temp.write('numbers.jsonl', '{"n":1e400}\n{"n":-0.5}\n')
    const items = await collect(path, 'jsonl')
    expect(errorsOf(items)).toEqual([{ line: 1, reason: 'number Infinity in field "n" cannot be stored' }])
  })

  it('rejects a line over maxLineBytes and goes on with the next', async () => {
    const path = temp.write('long.jsonl', `{"text":"${'x'.repeat(300)}"}\n{"ok":1}\n`)
    const items = await collect(path, 'jsonl', { limits: { maxLineBytes: 200 } })
    expect(errorsOf(items)).toEqual([{ line: 1, reason: 'line is 311 B, over the 200 B limit' }])
    expect(plain(recordsOf(items))).toEqual([{ ok: 1 }])
  })

  it('keeps hostile unicode exactly: non-BMP, RTL overrides, NUL, zero-width', async () => {
    const text = 'a\u0000b \u202Eevil\u202C 𝕏🏳️‍🌈 \u200B\u2066x\u2069 \uFFFF'
    const path = temp.write('hostile.jsonl', `${JSON.stringify({ text })}\n`)
    expect(recordsOf(await collect(path, 'jsonl'))[0]!.text).toBe(text)
  })
})
