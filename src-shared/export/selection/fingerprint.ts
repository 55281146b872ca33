// What dedup needs of an item's text, computed once while the export streams past it, so the selection holds
// a few numbers per item instead of the text: a 53-bit key of the normalised text (exact dedup: two different
// texts share a key with probability about n²/2⁵⁴, under 10⁻³ for two million items) and a b-bit MinHash
// signature (near-duplicates: the low 8 bits of each of numPerm minimum hashes, Li & König's b-bit minwise
// hashing), 128 bytes per item at the default 128 permutations instead of 512.
import type { NearDuplicateSpec } from './dataset-spec'
import { hash32 } from './hash'
import { shingleHashes, signature } from './minhash'

/** NFC, whitespace runs collapsed to one space, trimmed. */
export const normaliseText = (text: string): string => text.normalize('NFC').replace(/\s+/gu, ' ').trim()

export type ItemFingerprint = { exact: number; signature: Uint8Array | null }

/** Two independent 32-bit hashes of the normalised text, 21 bits of one above all 32 of the other. */
export function exactKey(text: string): number {
  const normal = normaliseText(text)
  return (hash32(normal, 0x9e3779b9) & 0x1f_ffff) * 0x1_0000_0000 + hash32(normal, 0x85ebca6b)
}

export function compactSignature(text: string, near: NearDuplicateSpec, seed: number): Uint8Array {
  const full = signature(shingleHashes(normaliseText(text), near.shingle, seed), near.numPerm, seed)
  const out = new Uint8Array(full.length)
  for (let i = 0; i < full.length; i++) out[i] = full[i]! & 0xff
  return out
}

export function fingerprintOf(text: string, near: NearDuplicateSpec | null, seed: number): ItemFingerprint {
  return { exact: exactKey(text), signature: near === null ? null : compactSignature(text, near, seed) }
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
