// Strict UTF-8 decoding. A non-fatal TextDecoder silently turns bad bytes into U+FFFD (RELIABILITY.md), so
// decoding is fatal and a failure reports where the first bad byte is.

// ignoreBOM: true keeps a U+FEFF that is data; the file's own BOM is stripped once, by the line reader.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
// Only for finding CSV structure in a line already known to be bad (the record is rejected either way).
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

export type Decoded = { ok: true; text: string } | { ok: false; offset: number }

export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) }
  } catch {
    return { ok: false, offset: Math.max(0, firstInvalidUtf8(bytes)) }
  }
}

export const decodeLenient = (bytes: Uint8Array): string => lenient.decode(bytes)

/** Index of the first byte that starts an ill-formed sequence (WHATWG rules), or -1 when all is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const c = bytes[i]!
    if (c < 0x80) {
      i++
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) need = 1
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      if (c === 0xe0) lo = 0xa0
      if (c === 0xed) hi = 0x9f // would encode a surrogate
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      if (c === 0xf0) lo = 0x90
      if (c === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k <= need; k++) {
      const d = bytes[i + k]
      if (d === undefined) return i
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i
    }
    i += need + 1
  }
  return -1
}

const wellFormed = String.prototype as unknown as { isWellFormed: (this: string) => boolean }

/** JSON.parse accepts "\ud800"; such a string later encodes as U+FFFD, so it must be caught here. */
export const hasLoneSurrogate = (text: string): boolean => !wellFormed.isWellFormed.call(text)

/** ASCII whitespace only: a line of U+00A0 or U+3000 is content, not a blank line. */
export function isBlankBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]
    if (c !== 0x20 && c !== 0x09 && c !== 0x0b && c !== 0x0c && c !== 0x0d) return false
  }
  return true
}
