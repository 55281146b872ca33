// Makes invisible and direction-changing characters visible, so a reviewer sees a Trojan-Source style bidi
// override, a zero-width space or a stray control character in a model's text instead of accepting it unseen.
// Flagged: format characters (General_Category Cf: bidi controls, zero-width characters, soft hyphen, BOM,
// emoji tags), control characters (Cc) other than tab and newline, and lone surrogates (Cs).

export type Segment =
  { kind: 'text'; text: string } | { kind: 'invisible'; char: string; codePoint: number; label: string }

/**
 * Flagged deliberately even where harmless, to keep the rule simple and predictable:
 * - ZERO WIDTH JOINER inside an emoji sequence (👩‍💻) and emoji tag characters (in subdivision flags);
 * - CARRIAGE RETURN, so CRLF line endings show up (only tab and line feed are left alone).
 * Not flagged: variation selectors (Mn), unusual spaces (Zs), LINE/PARAGRAPH SEPARATOR (Zl/Zp) and
 * fillers such as U+3164, none of which are Cf, Cc or Cs.
 */
const invisibleChar = /(?![\t\n])[\p{Cf}\p{Cc}\p{Cs}]/u
const wholeInvisibleChar = new RegExp(`^${invisibleChar.source}$`, 'u')

/** Names from the Unicode character database for the characters a reviewer is most likely to meet. */
const names: ReadonlyMap<number, string> = new Map([
  [0x0000, 'NULL'],
  [0x0008, 'BACKSPACE'],
  [0x000b, 'LINE TABULATION'],
  [0x000c, 'FORM FEED'],
  [0x000d, 'CARRIAGE RETURN'],
  [0x001b, 'ESCAPE'],
  [0x007f, 'DELETE'],
  [0x0085, 'NEXT LINE'],
  [0x00ad, 'SOFT HYPHEN'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 'INVISIBLE TIMES'],
  [0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 'INVISIBLE PLUS'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
])

/** The text split into runs of ordinary text and one segment per invisible character, in order. */
export function visibleSegments(text: string): Segment[] {
  const segments: Segment[] = []
  let run = ''
  // for…of walks code points, and yields a lone surrogate as a one-unit string of its own.
  for (const char of text) {
    if (!wholeInvisibleChar.test(char)) {
      run += char
      continue
    }
    if (run !== '') segments.push({ kind: 'text', text: run })
    run = ''
    const codePoint = char.codePointAt(0) ?? 0
    segments.push({ kind: 'invisible', char, codePoint, label: labelOf(char, codePoint) })
  }
  if (run !== '') segments.push({ kind: 'text', text: run })
  return segments
}

export function hasInvisible(text: string): boolean {
  return invisibleChar.test(text)
}

function labelOf(char: string, codePoint: number): string {
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0')
  return `U+${hex} ${names.get(codePoint) ?? genericName(char)}`
}

function genericName(char: string): string {
  if (/\p{Cs}/u.test(char)) return 'LONE SURROGATE'
  if (/\p{Cc}/u.test(char)) return 'CONTROL CHARACTER'
  return 'FORMAT CHARACTER'
}
