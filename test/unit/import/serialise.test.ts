import { describe, expect, it } from 'vitest'
import { serialise } from '../../../src-main/services/import/parsers/index'

describe('serialise', () => {
  const records = [
    { id: 1, text: 'plain' },
    { text: 'a, "quoted"\nline', extra: null },
  ]

  it('writes JSONL and JSON arrays', () => {
    expect(serialise(records, 'jsonl')).toBe(
      '{"id":1,"text":"plain"}\n{"text":"a, \\"quoted\\"\\nline","extra":null}\n',
    )
    expect(serialise(records, 'json')).toBe(
      '[\n{"id":1,"text":"plain"},\n{"text":"a, \\"quoted\\"\\nline","extra":null}\n]\n',
    )
    expect(serialise([], 'json')).toBe('[]\n')
    expect(serialise([], 'jsonl')).toBe('')
  })

  it('writes CSV/TSV with the union of keys as header, quoting only where needed', () => {
    expect(serialise(records, 'csv')).toBe('id,text,extra\n1,plain,\n,"a, ""quoted""\nline",\n')
    expect(serialise(records, 'tsv')).toBe('id\ttext\textra\n1\tplain\t\n\t"a, ""quoted""\nline"\t\n')
    expect(serialise([{ a: { b: [1] } }], 'csv')).toBe('a\n"{""b"":[1]}"\n')
    // A lone empty cell would be a blank line, which readers skip.
    expect(serialise([{ a: '' }], 'csv')).toBe('a\n""\n')
    expect(() => serialise([{}], 'csv')).toThrow(RangeError)
  })

  it('writes text lines and paragraphs, refusing what they cannot hold', () => {
    expect(serialise([{ text: 'one' }, { text: ' two ' }], 'text-lines')).toBe('one\n two \n')
    expect(serialise([{ text: 'one\nstill' }, { text: 'two' }], 'text-paragraphs')).toBe(
      'one\nstill\n\ntwo\n',
    )
    expect(() => serialise([{ text: 'a\nb' }], 'text-lines')).toThrow(RangeError)
    expect(() => serialise([{ text: '  ' }], 'text-lines')).toThrow(RangeError)
    expect(() => serialise([{ text: 'a\r' }], 'text-lines')).toThrow(RangeError)
    expect(() => serialise([{ text: 'a\n\nb' }], 'text-paragraphs')).toThrow(RangeError)
    expect(() => serialise([{ body: 'x' }], 'text-lines')).toThrow(RangeError)
  })

  it('doubles a leading U+FEFF so that readers, which strip one BOM, keep the data', () => {
    expect(serialise([{ text: '\uFEFFx' }], 'text-lines')).toBe('\uFEFF\uFEFFx\n')
    expect(serialise([{ '\uFEFFid': 'x' }], 'csv')).toBe('\uFEFF\uFEFFid\nx\n')
  })
})
