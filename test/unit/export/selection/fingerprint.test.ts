// The fingerprints the streamed selection keeps instead of texts: the ASCII word fast path agrees with
// Intl.Segmenter on prose, equal normalised texts share an exact key, and the b-bit similarity estimate
// tracks the true Jaccard similarity of the shingle sets.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compactSignature,
  compactSimilarity,
  exactKey,
  fingerprintWords,
  wordHashes,
} from '@shared/export/selection/fingerprint'
import { hash32 } from '@shared/export/selection/hash'
import { words } from '@shared/export/selection/minhash'

const word = fc.stringMatching(/^[A-Za-z][a-z]{0,9}$/)
const separator = fc.constantFrom(' ', '  ', ', ', '. ', '; ', ' - ', '! ', '? ', '\n', ' (', ') ', ': ')
const prose = fc
  .array(fc.tuple(word, separator), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''))

describe('fingerprint', () => {
  it('splits ASCII prose into the same words as Intl.Segmenter', () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(fingerprintWords(text)).toEqual(words(text))
      }),
      { numRuns: 300 },
    )
    expect(fingerprintWords("Don't pay 3.14 or 10,000 now.")).toEqual(words("Don't pay 3.14 or 10,000 now."))
  })

  it('hashes ASCII words while scanning exactly as hashing the words themselves', () => {
    const asciiText = fc.stringMatching(/^[A-Za-z0-9_ .,'!?;:()\n-]{0,80}$/)
    fc.assert(
      fc.property(fc.oneof(asciiText, prose, fc.string()), fc.nat(), (text, seed) => {
        expect(wordHashes(text, seed)).toEqual(fingerprintWords(text).map((word) => hash32(word, seed)))
      }),
      { numRuns: 500 },
    )
  })

  it('gives equal keys to texts equal after normalisation, and different keys otherwise', () => {
    expect(exactKey('  The  fox\n jumped ')).toBe(exactKey('The fox jumped'))
    expect(exactKey('Cafe\u0301')).toBe(exactKey('Café'))
    expect(exactKey('The fox jumped')).not.toBe(exactKey('The fox jumped.'))
  })

  it('estimates the Jaccard similarity of word-shingle sets within a few hundredths', () => {
    const near = { threshold: 0.8, numPerm: 256, shingle: 1 }
    const base = Array.from({ length: 100 }, (_, i) => `w${i}`)
    for (const shared of [100, 80, 50, 20, 0]) {
      // `shared` words in common out of 100 each: Jaccard = shared / (200 − shared).
      const other = [...base.slice(0, shared), ...Array.from({ length: 100 - shared }, (_, i) => `v${i}`)]
      const truth = shared / (200 - shared)
      const estimate = compactSimilarity(
        compactSignature(base.join(' '), near, 7),
        compactSignature(other.join(' '), near, 7),
      )
      expect(Math.abs(estimate - truth), `${shared} shared`).toBeLessThan(0.08)
    }
  })

  it('estimates without bias at the default 128 bins, for texts of a few shingles as of hundreds', () => {
    // One-permutation hashing leaves most bins of a short text empty: their borrowing must not bias the estimate.
    const near = { threshold: 0.8, numPerm: 128, shingle: 1 }
    for (const size of [5, 30, 300]) {
      const base = Array.from({ length: size }, (_, i) => `w${i}`)
      const shared = Math.round(size * 0.6)
      // The shared words last here and first there: a borrowing that followed the text would show.
      const other = [...Array.from({ length: size - shared }, (_, i) => `v${i}`), ...base.slice(0, shared)]
      const truth = shared / (2 * size - shared)
      let total = 0
      const seeds = 60
      for (let seed = 0; seed < seeds; seed++)
        total += compactSimilarity(
          compactSignature(base.join(' '), near, seed),
          compactSignature(other.join(' '), near, seed),
        )
      expect(Math.abs(total / seeds - truth), `${size} words`).toBeLessThan(0.02)
    }
  })
})
