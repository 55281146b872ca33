// Makes invisible characters visible wherever text is shown: bidi controls, zero-width and other format or
// control characters become labelled segments (rendered as badges by VisibleText.svelte), so hostile corpus
// text cannot hide or reorder itself. Which characters: src-shared/text/visible-text.ts; here, the short
// names on the badges. Pure functions, no DOM: rendered with {#each}, never as HTML.

import { hasInvisible, visibleSegments } from '@shared/text/visible-text'

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

const codePointOf = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * Splits text into plain runs and badges for the characters src-shared/text/visible-text.ts finds invisible
 * (format and control characters, lone surrogates); concatenating the runs and the controls gives the text
 * back. A carriage return stays text here: line endings from Windows are not worth a badge on every line.
 */
export function visibleControls(text: string): TextSegment[] {
  const segments: TextSegment[] = []
  for (const segment of visibleSegments(text)) {
    const isShown = segment.kind === 'invisible' && segment.char !== '\r'
    if (!isShown) {
      const plain = segment.kind === 'text' ? segment.text : segment.char
      const last = segments.at(-1)
      if (last?.kind === 'text') last.text += plain
      else segments.push({ kind: 'text', text: plain })
      continue
    }
    segments.push({
      kind: 'control',
      label: controlLabels[segment.char] ?? codePointOf(segment.codePoint),
      codePoint: codePointOf(segment.codePoint),
    })
  }
  return segments
}

export const hasInvisibleControls = (text: string): boolean =>
  hasInvisible(text) && visibleControls(text).some((segment) => segment.kind === 'control')

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
