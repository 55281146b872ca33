import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ColumnSource } from 'hyparquet-writer'
import { afterAll, describe, expect, it } from 'vitest'
import { parseFile } from '../../../src-main/services/import/parsers/index'
import { allNullPrototype, collect, errorsOf, makeTempDir, plain, recordsOf } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())

function writeParquet(name: string, columnData: ColumnSource[], rowGroupSize = 1000): string {
  return temp.write(name, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize, statistics: false })))
}

describe('Parquet parser', () => {
  it('reads every row of every row group with its 1-based row number', async () => {
    const path = writeParquet(
      'basic.parquet',
      [
        { name: 'text', data: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], type: 'STRING' },
        { name: 'n', data: [1, 2, 3, 4, 5, 6, 7], type: 'INT32' },
        { name: 'big', data: [1n, 2n, 3n, 4n, 5n, 6n, 2n ** 60n], type: 'INT64' },
        { name: 'score', data: [0.5, null, 1, 2, 3, 4, 5], type: 'DOUBLE' },
      ],
      3,
    )
    const items = await collect(path, 'parquet')
    expect(items.map((item) => item.location.line)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const records = recordsOf(items)
    expect(plain(records[0])).toEqual({ text: 'a', n: 1, big: 1, score: 0.5 })
    expect(records[1]!.score).toBeNull()
    // INT64 beyond 2^53 keeps every digit as a string rather than rounding.
    expect(records[6]!.big).toBe((2n ** 60n).toString())
    expect(items.every((item) => item.kind !== 'record' || allNullPrototype(item.fields))).toBe(true)
  })

  it('rejects only the row with invalid UTF-8 in a string column', async () => {
    const bad = new Uint8Array([0x61, 0xff, 0x62])
    const path = writeParquet('utf8.parquet', [{ name: 'text', data: ['ok', bad, 'fine'], type: 'STRING' }])
    const items = await collect(path, 'parquet')
    expect(errorsOf(items)).toEqual([
      { line: 2, reason: 'invalid UTF-8 at byte 1 of the value in field "text"' },
    ])
    expect(recordsOf(items).map((record) => record.text)).toEqual(['ok', 'fine'])
  })

  it('checks JSON columns for depth, lone surrogates and size like JSONL', async () => {
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    const path = writeParquet('json.parquet', [
      {
        name: 'meta',
        data: [{ a: [1, { b: 'x' }] }, deep, { s: 'a\ud800' }, { t: 'y'.repeat(50) }],
        type: 'JSON',
      },
    ])
    const items = await collect(path, 'parquet', { limits: { maxFieldBytes: 40 } })
    expect(plain(recordsOf(items))).toEqual([{ meta: { a: [1, { b: 'x' }] } }])
    expect(errorsOf(items)).toEqual([
      { line: 2, reason: 'nesting deeper than 64 in field "meta"' },
      { line: 3, reason: 'lone surrogate in field "meta.s"' },
      { line: 4, reason: 'field "meta.t" is 50 B, over the 40 B limit' },
    ])
    expect(allNullPrototype(recordsOf(items)[0])).toBe(true)
  })

  it('keeps a column named __proto__ as data', async () => {
    const path = writeParquet('proto.parquet', [
      { name: '__proto__', data: ['polluted?'], type: 'STRING' },
      { name: 'text', data: ['x'], type: 'STRING' },
    ])
    const [record] = recordsOf(await collect(path, 'parquet'))
    expect(Object.keys(record!)).toEqual(['__proto__', 'text'])
    expect(record!['__proto__']).toBe('polluted?')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads unannotated binary as text when it is UTF-8, else as base64', async () => {
    const path = writeParquet('binary.parquet', [
      {
        name: 'b',
        data: [new TextEncoder().encode('héllo'), new Uint8Array([0xff, 0x00])],
        type: 'BYTE_ARRAY',
      },
    ])
    expect(plain(recordsOf(await collect(path, 'parquet')))).toEqual([
      { b: 'héllo' },
      { b: { base64: '/wA=' } },
    ])
  })

  it('reports a file that is not Parquet as one error at row 1', async () => {
    const path = temp.write('fake.parquet', 'PAR1 this is not parquet at all')
    const errors = errorsOf(await collect(path, 'parquet'))
    expect(errors).toHaveLength(1)
    expect(errors[0]!.line).toBe(1)
    expect(errors[0]!.reason).toMatch(/^not a readable Parquet file: /)
  })

  it('stops on abort and reports progress per row group', async () => {
    const n = 5000
    const path = writeParquet(
      'abort.parquet',
      [{ name: 'text', data: Array.from({ length: n }, (_, i) => `row ${i}`), type: 'STRING' }],
      500,
    )
    const progress: number[] = []
    expect(
      recordsOf(await collect(path, 'parquet', { onProgress: (bytes) => progress.push(bytes) })),
    ).toHaveLength(n)
    expect(progress).toHaveLength(10)
    const controller = new AbortController()
    let count = 0
    const consume = async (): Promise<void> => {
      for await (const _ of parseFile(path, 'parquet', { signal: controller.signal })) {
        if (++count === 10) controller.abort()
      }
    }
    await expect(consume()).rejects.toMatchObject({ name: 'AbortError' })
    expect(count).toBe(10)
  })
})
