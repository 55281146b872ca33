// Makes invisible characters visible in review: bidi controls and zero-width characters become labelled
// segments (rendered as badges by VisibleText.svelte), so hostile corpus text cannot hide or reorder itself.
// Pure functions, no DOM: the result is rendered with {#each}, never as HTML.

export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'control'; label: string; codePoint: string }

/** The characters shown as badges, with the short names people search for. */
export const controlLabels: Readonly<Record<string, string>> = {
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u061C': 'ALM',
  '\u200B': 'ZWSP',
  '\u200C': 'ZWNJ',
  '\u200D': 'ZWJ',
  '\u2060': 'WJ',
  '\uFEFF': 'BOM',
}

const controlPattern = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2060\uFEFF]/g

const codePointOf = (char: string): string =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/** Splits text into plain runs and control badges; concatenating the runs and the controls gives the text back. */
export function visibleControls(text: string): TextSegment[] {
  const segments: TextSegment[] = []
  let last = 0
  for (const match of text.matchAll(controlPattern)) {
    const index = match.index
    if (index > last) segments.push({ kind: 'text', text: text.slice(last, index) })
    const char = match[0]
    segments.push({
      kind: 'control',
      label: controlLabels[char] ?? codePointOf(char),
      codePoint: codePointOf(char),
    })
    last = index + char.length
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) })
  return segments
}

/** search() ignores the pattern's global flag and lastIndex, so the shared pattern is safe here. */
export const hasInvisibleControls = (text: string): boolean => text.search(controlPattern) !== -1

/**
 * A short, one-line preview for table cells: line breaks and tabs become visible marks, and the text is cut
 * at `max` code units without splitting a surrogate pair (a 10 MiB sample must not become a 10 MiB cell).
 */
export function oneLinePreview(text: string, max = 400): string {
  let cut = text.length > max ? text.slice(0, max) : text
  if (cut.length < text.length && /[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  const flat = cut.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/\t/g, ' ')
  return cut.length < text.length ? `${flat}…` : flat
}
