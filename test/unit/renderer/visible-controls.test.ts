// Review shows hostile text as it is: bidi overrides and zero-width characters become labelled badges, and
// nothing of the text is lost or reordered in the segments.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  hasInvisibleControls,
  oneLinePreview,
  visibleControls,
} from '../../../src-renderer/ui/visible-controls'

const joinSegments = (text: string): string =>
  visibleControls(text)
    .map((segment) =>
      segment.kind === 'text' ? segment.text : String.fromCodePoint(parseInt(segment.codePoint.slice(2), 16)),
    )
    .join('')

describe('visible controls', () => {
  it('labels the Trojan-source and zero-width characters', () => {
    const segments = visibleControls('Invoice \u202Etxt.exe\u202C and a zero\u200Bwidth')
    expect(segments).toEqual([
      { kind: 'text', text: 'Invoice ' },
      { kind: 'control', label: 'RLO', codePoint: 'U+202E' },
      { kind: 'text', text: 'txt.exe' },
      { kind: 'control', label: 'PDF', codePoint: 'U+202C' },
      { kind: 'text', text: ' and a zero' },
      { kind: 'control', label: 'ZWSP', codePoint: 'U+200B' },
      { kind: 'text', text: 'width' },
    ])
    expect(hasInvisibleControls('plain text')).toBe(false)
    expect(hasInvisibleControls('a\u2066b')).toBe(true)
  })

  it('loses nothing: the segments put back together are the text (property)', () => {
    const withControls = fc.string({
      unit: fc.constantFrom('a', 'é', '😀', '\u202E', '\u200B', '\u2067', '\uFEFF', '\n', '<'),
    })
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), withControls),
        (text) => joinSegments(text) === text,
      ),
      {
        numRuns: 1000,
      },
    )
  })

  it('previews one line, cut without splitting a surrogate pair', () => {
    expect(oneLinePreview('a\nb\tc')).toBe('a ⏎ b c')
    const emoji = '😀'.repeat(300)
    const preview = oneLinePreview(emoji, 401)
    expect(preview.endsWith('…')).toBe(true)
    expect(preview.slice(0, -1)).toBe('😀'.repeat(200))
  })
})
