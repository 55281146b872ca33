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

describe('JSON array parser', () => {
  it('yields each element with the line and byte where it starts', async () => {
    const path = temp.write('basic.json', '\uFEFF[\n  {"a": 1},\n  {"b": [1, {"c": "]}"}]}\n]\n')
    const items = await collect(path, 'json')
    expect(items.map((item) => item.location)).toEqual([
      { line: 2, byteOffset: 7 },
      { line: 3, byteOffset: 19 },
    ])
    expect(plain(recordsOf(items))).toEqual([{ a: 1 }, { b: [1, { c: ']}' }] }])
    expect(items.every((item) => item.kind !== 'record' || allNullPrototype(item.fields))).toBe(true)
  })

  it('reads an empty array and an empty file as no records', async () => {
    expect(await collect(temp.write('empty.json', ' [ ] \n'), 'json')).toEqual([])
    expect(await collect(temp.write('nothing.json', ''), 'json')).toEqual([])
  })

  it('rejects one malformed element alone and goes on with the next', async () => {
    const path = temp.write(
      'malformed.json',
      '[\n{"a":1},\n{"b": 2 3},\n5,\n["x"],\n{"c":[1},\n{"d":"\\ud800"},\n{"e":5}\n]',
    )
    const items = await collect(path, 'json')
    expect(items.map((item) => [item.location.line, item.kind])).toEqual([
      [2, 'record'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'record'],
    ])
    const reasons = errorsOf(items).map((error) => error.reason)
    expect(reasons[0]).toMatch(/^malformed JSON: /)
    expect(reasons[1]).toBe('not a JSON object')
    expect(reasons[2]).toBe('not a JSON object')
    expect(reasons[3]).toMatch(/^malformed JSON: /)
    expect(reasons[4]).toBe('lone surrogate in field "d"')
  })

  it('rejects invalid UTF-8, deep nesting and big fields per element', async () => {
    const path = temp.write(
      'faults.json',
      bytes(
        '[{"a":"',
        [0xff],
        '"},\n',
        `{"d":${'['.repeat(100)}${']'.repeat(100)}},\n`,
        `{"t":"${'x'.repeat(50)}"},\n`,
        '{"ok":true}]',
      ),
    )
    const items = await collect(path, 'json', { limits: { maxFieldBytes: 40 } })
    expect(errorsOf(items)).toEqual([
      { line: 1, reason: 'invalid UTF-8 at byte 7' },
      { line: 2, reason: 'nesting deeper than 64' },
      { line: 3, reason: 'field "t" is 50 B, over the 40 B limit' },
    ])
    expect(plain(recordsOf(items))).toEqual([{ ok: true }])
  })

  it('rejects an element over maxLineBytes without buffering it', async () => {
    const path = temp.write('long.json', `[{"t":"${'x'.repeat(500)}"},{"ok":1}]`)
    const items = await collect(path, 'json', { limits: { maxLineBytes: 100 } })
    expect(errorsOf(items)).toEqual([{ line: 1, reason: 'element is 508 B, over the 100 B limit' }])
    expect(plain(recordsOf(items))).toEqual([{ ok: 1 }])
  })

  it('says clearly when the top level is not an array', async () => {
    const object = await collect(temp.write('object.json', '{"a": 1}'), 'json')
    expect(errorsOf(object)).toEqual([
      { line: 1, reason: 'expected a JSON array at the top level, found an object (is this JSON Lines?)' },
    ])
    const scalar = await collect(temp.write('scalar.json', '\n  "text"'), 'json')
    expect(errorsOf(scalar)).toEqual([
      { line: 2, reason: 'expected a JSON array at the top level, found "\\""' },
    ])
  })

  it('reports an unterminated string to the end of the file once, at its element, and stops', async () => {
    const path = temp.write('unterminated.json', '[{"a":1},\n{"b":"never closed}, {"c":3}')
    const items = await collect(path, 'json')
    expect(items.map((item) => item.kind)).toEqual(['record', 'error'])
    expect(errorsOf(items)).toEqual([
      { line: 2, reason: 'the file ends inside this element (is it truncated?)' },
    ])
  })

  it('reports a missing closing bracket after complete elements, and content after the array', async () => {
    const truncated = await collect(temp.write('truncated.json', '[{"a":1},{"b":2}'), 'json')
    expect(truncated.map((item) => item.kind)).toEqual(['record', 'record', 'error'])
    expect(errorsOf(truncated)[0]!.reason).toBe('the top-level array is not closed (is the file truncated?)')
    const trailing = await collect(temp.write('trailing.json', '[{"a":1}]\n[{"b":2}]'), 'json')
    expect(errorsOf(trailing)).toEqual([
      { line: 2, reason: 'unexpected "[" after the end of the top-level array' },
    ])
  })

  it('rejects empty elements and trailing commas at their position', async () => {
    const items = await collect(temp.write('commas.json', '[{"a":1},,{"b":2},]'), 'json')
    expect(items.map((item) => item.kind)).toEqual(['record', 'error', 'record', 'error'])
    expect(errorsOf(items).map((error) => error.reason)).toEqual([
      'empty array element',
      'empty array element',
    ])
  })

  it('resyncs after a line break inside a string, on a line indented no deeper than the element', async () => {
    const path = temp.write('newline.json', '[\n{"a":"broken\n"},\n{"b":2}\n]')
    const items = await collect(path, 'json')
    expect(items.map((item) => item.kind)).toEqual(['error', 'record'])
    expect(errorsOf(items)[0]).toEqual({
      line: 2,
      reason: 'malformed JSON: unterminated string (a line break inside it)',
    })
    expect(plain(recordsOf(items))).toEqual([{ b: 2 }])
    const pretty = temp.write(
      'pretty.json',
      '[\n  {\n    "a": "missing quote,\n    "meta": {\n      "x": [\n        {"y": 1}\n      ]\n    }\n  },\n  {\n    "b": 2\n  }\n]\n',
    )
    const prettyItems = await collect(pretty, 'json')
    expect(prettyItems.map((item) => [item.location.line, item.kind])).toEqual([
      [2, 'error'],
      [10, 'record'],
    ])
  })

  it('keeps __proto__ as data', async () => {
    const items = await collect(temp.write('proto.json', '[{"__proto__":{"polluted":true}}]'), 'json')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(recordsOf(items)[0]!)).toEqual(['__proto__'])
  })
})
