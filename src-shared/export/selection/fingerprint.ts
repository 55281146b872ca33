// What dedup needs of an item's text, computed once while the export streams past it, so the selection holds
// a few numbers per item instead of the text: a 53-bit key of the normalised text (exact dedup: two different
// texts share a key with probability about n²/2⁵⁴, under 10⁻³ for two million items) and a b-bit MinHash
// signature (near-duplicates: the low 8 bits of each of numPerm minimum hashes, Li & König's b-bit minwise
// hashing), 128 bytes per item at the default 128 permutations instead of 512.
import type { NearDuplicateSpec } from './dataset-spec'
import { fmix32, hash32 } from './hash'
import { words } from './minhash'

/** Printable ASCII and whitespace only (control characters take the Unicode path, which handles anything). */
const isAscii = (text: string): boolean => /^[\t\n\v\f\r -~]*$/.test(text)

/** NFC, whitespace runs collapsed to one space, trimmed. (ASCII text is its own NFC form.) */
export const normaliseText = (text: string): string =>
  (isAscii(text) ? text : text.normalize('NFC')).replace(/\s+/gu, ' ').trim()

export type ItemFingerprint = { exact: number; signature: Uint8Array | null }

/** Two independent 32-bit hashes of the normalised text, 21 bits of one above all 32 of the other. */
export const exactKey = (text: string): number => keyOfNormal(normaliseText(text))

const keyOfNormal = (normal: string): number =>
  (hash32(normal, 0x9e3779b9) & 0x1f_ffff) * 0x1_0000_0000 + hash32(normal, 0x85ebca6b)

/**
 * Lower-cased words. Unicode text goes through Intl.Segmenter; ASCII text, by far the common case and a
 * tenth of the cost, through a pattern: runs of letters, digits and underscores, joined across an apostrophe,
 * period or comma between two of them ("don't", "3.14", "10,000"). On ordinary prose the two agree (a
 * property test checks it); where they differ (e.g. "a,b") every text of the export still goes the same way.
 */
export function fingerprintWords(text: string): string[] {
  if (!isAscii(text)) return words(text)
  return text.toLowerCase().match(/[a-z0-9_]+(?:['.,][a-z0-9_]+)*/g) ?? []
}

const isWordCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95

/**
 * hash32 of each word of fingerprintWords(text), in order. For ASCII text the words are hashed as they are
 * scanned, lower-cased on the fly, without making a string of each (a third of an export's fingerprint time).
 */
export function wordHashes(text: string, seed: number): number[] {
  if (!isAscii(text)) return fingerprintWords(text).map((word) => hash32(word, seed))
  const out: number[] = []
  const n = text.length
  for (let i = 0; i < n;) {
    if (!isWordCode(text.charCodeAt(i))) {
      i++
      continue
    }
    let h = seed | 0
    let length = 0
    for (; i < n; i++) {
      let c = text.charCodeAt(i)
      if (!isWordCode(c)) {
        // An apostrophe, period or comma between two word characters joins them.
        const joins = (c === 39 || c === 46 || c === 44) && i + 1 < n && isWordCode(text.charCodeAt(i + 1))
        if (!joins) break
      }
      if (c >= 65 && c <= 90) c += 32
      // hash32's block step, one UTF-16 code unit at a time.
      let k = Math.imul(c, 0xcc9e2d51)
      k = (k << 15) | (k >>> 17)
      h ^= Math.imul(k, 0x1b873593)
      h = (h << 13) | (h >>> 19)
      h = (Math.imul(h, 5) + 0xe6546b64) | 0
      length++
    }
    out.push(fmix32(h ^ length))
  }
  return out
}

/** Hashes of the `size`-word shingles (repeats kept: they cannot change a minimum). */
function shingles(text: string, size: number, seed: number): Uint32Array {
  const hashes = wordHashes(text, seed)
  if (hashes.length === 0) return new Uint32Array(0)
  const count = Math.max(1, hashes.length - size + 1)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    let h = seed ^ 0x2545f491
    for (let k = i; k < Math.min(i + size, hashes.length); k++) h = fmix32(Math.imul(h, 31) + hashes[k]!)
    out[i] = h
  }
  return out
}

/** How many times an empty bin looks for a filled one at random before it takes the next filled one. */
const maxBorrowAttempts = 1024
/** Probes per bin computed once per (numPerm, seed): a text of a few dozen shingles rarely needs more. */
const tabledProbes = 32

interface OphTables {
  salt: number
  borrowSalt: number
  /** probes[bin · tabledProbes + attempt − 1]: the bin an empty bin tries at that attempt. */
  probes: Uint16Array
}

const tables = new Map<string, OphTables>()

function tablesFor(numPerm: number, seed: number): OphTables {
  const key = `${numPerm}:${seed}`
  let found = tables.get(key)
  if (found === undefined) {
    const borrowSalt = hash32('oph:borrow', seed)
    const probes = new Uint16Array(numPerm * tabledProbes)
    for (let bin = 0; bin < numPerm; bin++)
      for (let attempt = 1; attempt <= tabledProbes; attempt++)
        probes[bin * tabledProbes + attempt - 1] = probeOf(bin, attempt, numPerm, borrowSalt)
    found = { salt: hash32('oph:permutation', seed), borrowSalt, probes }
    tables.set(key, found)
  }
  return found
}

const probeOf = (bin: number, attempt: number, numPerm: number, salt: number): number =>
  (fmix32(Math.imul(bin + 1, 0x9e37_79b1) ^ Math.imul(attempt, 0x85eb_ca77) ^ salt) >>> 0) % numPerm

/**
 * The low 8 bits of each bin's minimum under one-permutation hashing with optimal densification (Li, Owen &
 * Zhang 2012; Shrivastava 2017). One seeded permutation per shingle: its top bits pick one of numPerm bins, and
 * the shingle competes for that bin's minimum — instead of numPerm hashes of every shingle. An empty bin
 * borrows the minimum of a bin chosen by a seeded hash of (bin, attempt), the same choice for every text, so
 * two texts agree on a bin with probability equal to their Jaccard similarity, as with numPerm independent
 * permutations, at O(shingles + numPerm).
 */
export function compactSignature(text: string, near: NearDuplicateSpec, seed: number): Uint8Array {
  const hashes = shingles(text, near.shingle, seed)
  const { numPerm } = near
  const out = new Uint8Array(numPerm)
  if (hashes.length === 0) return out.fill(0xff)
  const { salt, borrowSalt, probes } = tablesFor(numPerm, seed)
  const mins = new Uint32Array(numPerm).fill(0xffff_ffff)
  const filled = new Uint8Array(numPerm)
  for (let s = 0; s < hashes.length; s++) {
    const v = fmix32(hashes[s]! ^ salt) >>> 0
    const bin = Math.floor((v * numPerm) / 0x1_0000_0000)
    if (v < mins[bin]!) mins[bin] = v
    filled[bin] = 1
  }
  for (let bin = 0; bin < numPerm; bin++) {
    if (filled[bin] === 0) {
      let from = -1
      for (let a = 0; a < tabledProbes && from < 0; a++) {
        const probe = probes[bin * tabledProbes + a]!
        if (filled[probe] === 1) from = probe
      }
      mins[bin] = mins[from >= 0 ? from : borrowedBin(bin, filled, numPerm, borrowSalt)]!
    }
    out[bin] = mins[bin]! & 0xff
  }
  return out
}

/** Past the tabled probes: the same probe sequence computed on, then (never in practice) the next filled bin. */
function borrowedBin(bin: number, filled: Uint8Array, numPerm: number, salt: number): number {
  for (let attempt = tabledProbes + 1; attempt <= maxBorrowAttempts; attempt++) {
    const probe = probeOf(bin, attempt, numPerm, salt)
    if (filled[probe] === 1) return probe
  }
  for (let step = 1; step < numPerm; step++)
    if (filled[(bin + step) % numPerm] === 1) return (bin + step) % numPerm
  return bin
}

export function fingerprintOf(text: string, near: NearDuplicateSpec | null, seed: number): ItemFingerprint {
  const normal = normaliseText(text)
  return {
    exact: keyOfNormal(normal),
    signature: near === null ? null : compactSignature(normal, near, seed),
  }
}

/**
 * Estimated Jaccard similarity from b-bit signatures: two values agree by chance with probability 1/256 even
 * when the minimum hashes differ, so the agreement share p estimates J + (1 − J)/256; solved for J.
 */
export function compactSimilarity(a: Uint8Array, b: Uint8Array): number {
  let same = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++
  const chance = 1 / 256
  return Math.max(0, (same / a.length - chance) / (1 - chance))
}
