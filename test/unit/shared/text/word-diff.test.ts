// The word diff stored with an edit decision must give back both texts exactly, stay readable (merged, no
// empty parts) and refuse to replay on the wrong text; a huge unrelated pair must not freeze the window.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DiffPart } from '@shared/text/word-diff'
import { applyDiff, diffStats, wordDiff } from '@shared/text/word-diff'

const textOf = (parts: readonly DiffPart[], keep: DiffPart['op']): string =>
  parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('')

/** Deterministic pseudo-random words, so the long-text test is the same on every run. */
function manyWords(seed: number, count: number): string {
  let state = seed
  const words: string[] = []
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648
    words.push(`w${(state % 5000).toString(36)}`)
  }
  return words.join(' ')
}

describe('wordDiff', () => {
  it('diffs whole words and keeps punctuation with the changed word', () => {
    expect(wordDiff('The quick brown fox jumps.', 'The quick red fox leaps!')).toEqual([
      { op: 'equal', text: 'The quick ' },
      { op: 'delete', text: 'brown' },
      { op: 'insert', text: 'red' },
      { op: 'equal', text: ' fox ' },
      { op: 'delete', text: 'jumps.' },
      { op: 'insert', text: 'leaps!' },
    ])
  })

  it('keeps newlines and whitespace runs as changes of their own', () => {
    expect(wordDiff('one\ntwo  three', 'one\n\ntwo three')).toEqual([
      { op: 'equal', text: 'one\n' },
      { op: 'insert', text: '\n' },
      { op: 'equal', text: 'two' },
      { op: 'delete', text: '  ' },
      { op: 'insert', text: ' ' },
      { op: 'equal', text: 'three' },
    ])
  })

  it('diffs scripts outside Latin letter by letter (jsdiff tokenizes them per character)', () => {
    expect(wordDiff('кот спит', 'кит спит')).toEqual([
      { op: 'equal', text: 'к' },
      { op: 'delete', text: 'о' },
      { op: 'insert', text: 'и' },
      { op: 'equal', text: 'т спит' },
    ])
  })

  it('drops empty parts at the edges', () => {
    expect(wordDiff('', '')).toEqual([])
    expect(wordDiff('same', 'same')).toEqual([{ op: 'equal', text: 'same' }])
    expect(wordDiff('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }])
    expect(wordDiff('old text', '')).toEqual([{ op: 'delete', text: 'old text' }])
  })

  it('falls back to one delete and one insert when the edit is longer than the limit', () => {
    expect(wordDiff('a b c d', 'w x y z', { maxEditLength: 2, timeoutMs: 10_000 })).toEqual([
      { op: 'delete', text: 'a b c d' },
      { op: 'insert', text: 'w x y z' },
    ])
    // The fallback drops the empty side rather than storing an empty part.
    expect(wordDiff('', 'a b', { maxEditLength: 0, timeoutMs: 10_000 })).toEqual([
      { op: 'insert', text: 'a b' },
    ])
    // The same pair within the limit keeps the shared spaces.
    expect(wordDiff('a b c d', 'w x y z', { maxEditLength: 100, timeoutMs: 10_000 })).toContainEqual({
      op: 'equal',
      text: ' ',
    })
  })

  it('answers for two unrelated 20,000-word texts with a whole replacement', { timeout: 15_000 }, () => {
    const before = manyWords(1, 20_000)
    const after = manyWords(7, 20_000)
    expect(wordDiff(before, after)).toEqual([
      { op: 'delete', text: before },
      { op: 'insert', text: after },
    ])
  })

  it('gives back both texts, merged and without empty parts, for any pair of strings', () => {
    const piece = fc.constantFrom(
      'a',
      'bc',
      'word',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '.',
      ',',
      'é',
      'кот',
      '😀',
      '\u200b',
    )
    const text = fc.oneof(
      fc.array(piece, { maxLength: 20 }).map((pieces) => pieces.join('')),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    )
    fc.assert(
      fc.property(text, text, (before, after) => {
        const parts = wordDiff(before, after)
        expect(textOf(parts, 'delete')).toBe(before)
        expect(textOf(parts, 'insert')).toBe(after)
        expect(applyDiff(before, parts)).toBe(after)
        for (const [i, part] of parts.entries()) {
          expect(part.text).not.toBe('')
          if (i > 0) expect(part.op).not.toBe(parts[i - 1]?.op)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('diffStats', () => {
  it('counts runs of non-whitespace per op, punctuation included', () => {
    const parts = wordDiff('The quick brown fox jumps.', 'The quick red fox, it leaps!')
    expect(diffStats(parts)).toEqual({ insertedWords: 4, deletedWords: 2, unchangedWords: 3 })
  })

  it('is all zeros for no parts and for whitespace-only changes', () => {
    expect(diffStats([])).toEqual({ insertedWords: 0, deletedWords: 0, unchangedWords: 0 })
    expect(diffStats(wordDiff('a b', 'a  b'))).toEqual({
      insertedWords: 0,
      deletedWords: 0,
      unchangedWords: 2,
    })
  })
})

describe('applyDiff', () => {
  const parts = wordDiff('The cat sat.', 'The dog sat.')

  it('replays a diff on the text it was made from', () => {
    expect(applyDiff('The cat sat.', parts)).toBe('The dog sat.')
  })

  it('refuses a text that differs from the one the diff was made from', () => {
    expect(() => applyDiff('The cow sat.', parts)).toThrow(
      'diff part 1 (delete) does not match the text at offset 4',
    )
    expect(() => applyDiff('The cat sat. Then left.', parts)).toThrow(
      'diff covers 12 of 23 characters of the text',
    )
    expect(() => applyDiff('The', parts)).toThrow('diff part 0 (equal) does not match the text at offset 0')
  })
})
