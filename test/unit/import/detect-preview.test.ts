import { parquetWriteBuffer } from 'hyparquet-writer'
import { afterAll, describe, expect, it } from 'vitest'
import { detectFormat, previewFile } from '../../../src-main/services/import/parsers/index'
import { makeTempDir, plain } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())

describe('detectFormat', () => {
  it.each([
    ['a.jsonl', 'x', 'jsonl'],
    ['a.NDJSON', 'x', 'jsonl'],
    ['a.csv', 'x', 'csv'],
    ['a.tsv', 'x', 'tsv'],
    ['a.parquet', 'x', 'parquet'],
    ['a.json', '\uFEFF  [{"a":1}]', 'json'],
    ['b.json', '{"a":1}\n{"a":2}\n', 'jsonl'],
    ['c.json', '{\n  "a": 1\n}\n', 'json'],
    ['lines.txt', 'one sentence.\nanother one.\n\nthird.\n', 'text-lines'],
    ['paras.txt', 'para one\nstill one\n\npara two\nline two\n', 'text-paragraphs'],
    ['noext', 'id\ttext\n1\thello\n2\tworld\n', 'tsv'],
    ['noext2', 'id,text\n1,hello\n2,world\n', 'csv'],
    ['noext3', '{"a":1}\n', 'jsonl'],
    ['noext4', 'just some prose, with commas\nand a second line\n', 'text-lines'],
  ])('%s is %s', async (name, content, format) => {
    expect(await detectFormat(temp.write(name, content))).toBe(format)
  })

  it('sniffs Parquet by its magic bytes', async () => {
    const buffer = parquetWriteBuffer({ columnData: [{ name: 'text', data: ['x'], type: 'STRING' }] })
    expect(await detectFormat(temp.write('data.bin', new Uint8Array(buffer)))).toBe('parquet')
  })
})

describe('previewFile', () => {
  it('returns the header, the first rows and errors, and the size', async () => {
    const lines = ['id,text', '1,a', '2,"b', ...Array.from({ length: 40 }, (_, i) => `${i + 3},row`)]
    const path = temp.write('preview.csv', lines.join('\n'))
    const preview = await previewFile(path, undefined, 5)
    expect(preview.format).toBe('csv')
    expect(preview.fields).toEqual(['id', 'text'])
    expect(preview.rows).toHaveLength(5)
    expect(plain(preview.rows[0])).toEqual({ id: '1', text: 'a' })
    expect(preview.errors).toEqual([
      { location: { line: 3, byteOffset: 12 }, reason: expect.any(String) as string },
    ])
    expect(preview.sizeBytes).toBe(Buffer.byteLength(lines.join('\n')))
  })

  it('names the columns of a header-only CSV and the union of JSONL keys', async () => {
    expect((await previewFile(temp.write('header.csv', 'a,b\n'))).fields).toEqual(['a', 'b'])
    const jsonl = await previewFile(temp.write('keys.jsonl', '{"a":1}\n{"b":2,"a":3}\n'))
    expect(jsonl.fields).toEqual(['a', 'b'])
    expect(jsonl.format).toBe('jsonl')
  })

  it('uses the given format over detection', async () => {
    const preview = await previewFile(temp.write('forced.csv', 'a,b\n1,2\n'), 'text-lines')
    expect(preview.fields).toEqual(['text'])
    expect(preview.rows.map((row) => row.text)).toEqual(['a,b', '1,2'])
  })
})
