// The pure-TypeScript SHA-256 must agree byte for byte with node:crypto, including how strings become UTF-8.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256Hex, utf8Encode } from '@shared/domain/sha256'

const nodeSha256 = (input: string | Uint8Array): string => createHash('sha256').update(input).digest('hex')

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('matches the FIPS 180-4 vector for %j', (input, expected) => {
    expect(sha256Hex(input)).toBe(expected)
  })

  it('agrees with node:crypto at every length around the padding boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff)
      expect(sha256Hex(bytes)).toBe(nodeSha256(bytes))
    }
  })

  it('agrees with node:crypto on arbitrary strings, non-BMP and lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string()),
        (text) => {
          expect(sha256Hex(text)).toBe(nodeSha256(text))
          expect(Buffer.from(utf8Encode(text)).equals(Buffer.from(text, 'utf8'))).toBe(true)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('agrees with node:crypto on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(sha256Hex(bytes)).toBe(nodeSha256(bytes))
      }),
      { numRuns: 500 },
    )
  })

  it('hashes a megabyte of multi-byte text like node:crypto', () => {
    const text = '𝔘ñí©ødé ✓ עברית '.repeat(40_000)
    expect(sha256Hex(text)).toBe(nodeSha256(text))
  })
})
