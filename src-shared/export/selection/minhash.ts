// MinHash signatures over word shingles, and LSH banding to find candidate pairs without comparing every
// pair. Written here (about 60 lines) because the npm packages are either unmaintained and seeded from
// Math.random (`minhash`) or a large general-purpose bundle (`bloom-filters`); a snapshot must come out the
// same on every machine, so every permutation is derived from the dataset's seed.
import { fmix32, hash32 } from './hash'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

/** Lower-cased words (Intl.Segmenter, so scripts without spaces split too). */
export function words(text: string): string[] {
  const out: string[] = []
  for (const part of segmenter.segment(text.normalize('NFC').toLowerCase()))
    if (part.isWordLike === true) out.push(part.segment)
  return out
}

/** Hashes of the distinct `size`-word shingles; a text shorter than `size` words is one shingle. */
export function shingleHashes(text: string, size: number, seed: number): Uint32Array {
  const list = words(text)
  const hashes = new Set<number>()
  const last = Math.max(0, list.length - size)
  for (let i = 0; i <= last && list.length > 0; i++)
    hashes.add(hash32(list.slice(i, i + size).join('\u0001'), seed))
  return Uint32Array.from(hashes)
}

/**
 * Permutation i maps a shingle hash h to fmix32(h ^ salt_i): xor with a constant and fmix32 are both
 * bijections on 32 bits, so each is a permutation, and the salts come from the seed.
 */
export function signature(shingles: Uint32Array, numPerm: number, seed: number): Uint32Array {
  const sig = new Uint32Array(numPerm).fill(0xffff_ffff)
  for (let i = 0; i < numPerm; i++) {
    const salt = hash32(`perm:${i}`, seed)
    let min = 0xffff_ffff
    for (const h of shingles) {
      const v = fmix32(h ^ salt)
      if (v < min) min = v
    }
    sig[i] = min
  }
  return sig
}

/** The share of positions where two signatures agree: an unbiased estimate of Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++
  return same / a.length
}

/**
 * Rows per band: the most rows whose LSH threshold (1/bands)^(1/rows) stays 0.1 under the similarity
 * threshold, so a pair at the threshold becomes a candidate with high probability (≈ 0.95 at 0.8 / 128).
 */
export function bandsFor(numPerm: number, threshold: number): { bands: number; rows: number } {
  let rows = 1
  for (let r = 2; r <= numPerm; r++) {
    const bands = Math.floor(numPerm / r)
    if (Math.pow(1 / bands, 1 / r) <= threshold - 0.1) rows = r
  }
  return { bands: Math.floor(numPerm / rows), rows }
}

export function bandKeys(sig: Uint32Array, bands: number, rows: number): string[] {
  const keys: string[] = []
  for (let b = 0; b < bands; b++) keys.push(`${b}:${sig.subarray(b * rows, (b + 1) * rows).join(',')}`)
  return keys
}
