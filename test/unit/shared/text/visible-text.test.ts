// Hostile strings a model (or an imported data set) can carry: Trojan-Source bidi overrides, zero-width
// characters that split or join words invisibly, stray controls and broken surrogates. Each must come out as
// its own labelled segment, and ordinary text, tabs and newlines must pass through untouched.
import { describe, expect, it } from 'vitest'
import type { Segment } from '@shared/text/visible-text'
import { hasInvisible, visibleSegments } from '@shared/text/visible-text'

const invisible = (codePoint: number, label: string): Segment => ({
  kind: 'invisible',
  char: String.fromCharCode(codePoint),
  codePoint,
  label: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} ${label}`,
})

describe('visibleSegments', () => {
  it('leaves ordinary text, tabs, newlines, accents and emoji as one text segment', () => {
    const text = 'Café\tnaïve\nrésumé — 😀 日本語'
    expect(visibleSegments(text)).toEqual([{ kind: 'text', text }])
    expect(hasInvisible(text)).toBe(false)
    expect(visibleSegments('')).toEqual([])
  })

  it('shows a Trojan-Source override and isolate in an access check', () => {
    // Renders as `if (isAdmin) { // begin admins only` while the comment really swallows the check.
    const text = 'if (access !== "user\u202E \u2066// Check if admin\u2069 \u2066") {'
    expect(visibleSegments(text)).toEqual([
      { kind: 'text', text: 'if (access !== "user' },
      invisible(0x202e, 'RIGHT-TO-LEFT OVERRIDE'),
      { kind: 'text', text: ' ' },
      invisible(0x2066, 'LEFT-TO-RIGHT ISOLATE'),
      { kind: 'text', text: '// Check if admin' },
      invisible(0x2069, 'POP DIRECTIONAL ISOLATE'),
      { kind: 'text', text: ' ' },
      invisible(0x2066, 'LEFT-TO-RIGHT ISOLATE'),
      { kind: 'text', text: '") {' },
    ])
    expect(hasInvisible(text)).toBe(true)
  })

  it.each([
    [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
    [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
    [0x202c, 'POP DIRECTIONAL FORMATTING'],
    [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
    [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
    [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
    [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
    [0x2068, 'FIRST STRONG ISOLATE'],
    [0x2069, 'POP DIRECTIONAL ISOLATE'],
    [0x200e, 'LEFT-TO-RIGHT MARK'],
    [0x200f, 'RIGHT-TO-LEFT MARK'],
    [0x061c, 'ARABIC LETTER MARK'],
    [0x200b, 'ZERO WIDTH SPACE'],
    [0x200c, 'ZERO WIDTH NON-JOINER'],
    [0x200d, 'ZERO WIDTH JOINER'],
    [0x2060, 'WORD JOINER'],
    [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
    [0x00ad, 'SOFT HYPHEN'],
    [0x2062, 'INVISIBLE TIMES'],
    [0x0000, 'NULL'],
    [0x001b, 'ESCAPE'],
    [0x000d, 'CARRIAGE RETURN'],
    [0x007f, 'DELETE'],
    [0x0085, 'NEXT LINE'],
    [0x0001, 'CONTROL CHARACTER'],
    [0x009b, 'CONTROL CHARACTER'],
    [0x0600, 'FORMAT CHARACTER'],
  ])('flags code point %i as %s', (codePoint, label) => {
    const char = String.fromCharCode(codePoint)
    expect(visibleSegments(`a${char}b`)).toEqual([
      { kind: 'text', text: 'a' },
      invisible(codePoint, label),
      { kind: 'text', text: 'b' },
    ])
    expect(hasInvisible(char)).toBe(true)
  })

  it('shows zero-width characters that split or join a word invisibly', () => {
    expect(visibleSegments('pass\u200Bword\u200C\u2060')).toEqual([
      { kind: 'text', text: 'pass' },
      invisible(0x200b, 'ZERO WIDTH SPACE'),
      { kind: 'text', text: 'word' },
      invisible(0x200c, 'ZERO WIDTH NON-JOINER'),
      invisible(0x2060, 'WORD JOINER'),
    ])
  })

  it('flags the joiner inside an emoji sequence too, by design', () => {
    expect(visibleSegments('👩\u200D💻')).toEqual([
      { kind: 'text', text: '👩' },
      invisible(0x200d, 'ZERO WIDTH JOINER'),
      { kind: 'text', text: '💻' },
    ])
  })

  it('flags astral format characters such as emoji tags with their full code point', () => {
    const tag = String.fromCodePoint(0xe0067)
    expect(visibleSegments(`x${tag}`)).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'invisible', char: tag, codePoint: 0xe0067, label: 'U+E0067 FORMAT CHARACTER' },
    ])
  })

  it('flags lone surrogates but not well-formed pairs', () => {
    expect(visibleSegments('a\uD800b\uDC00 😀')).toEqual([
      { kind: 'text', text: 'a' },
      invisible(0xd800, 'LONE SURROGATE'),
      { kind: 'text', text: 'b' },
      invisible(0xdc00, 'LONE SURROGATE'),
      { kind: 'text', text: ' 😀' },
    ])
    expect(hasInvisible('\uDC00')).toBe(true)
    expect(hasInvisible('\uD83D\uDE00')).toBe(false)
  })

  it('keeps every character: the segments concatenate back to the text', () => {
    const text = '\uFEFFa\u202Eb\u0000\tc\n\uD800'
    const rebuilt = visibleSegments(text)
      .map((s) => (s.kind === 'text' ? s.text : s.char))
      .join('')
    expect(rebuilt).toBe(text)
  })
})

describe('hasInvisible', () => {
  it('ignores tab and newline but not carriage return', () => {
    expect(hasInvisible('a\tb\nc')).toBe(false)
    expect(hasInvisible('a\r\nb')).toBe(true)
  })
})
