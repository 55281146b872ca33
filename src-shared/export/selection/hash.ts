// Seeded 32-bit hashing for the selection's deterministic orders, split assignment and MinHash: MurmurHash3's
// block and final mixers over UTF-16 code units. Not cryptographic; it only has to spread ids evenly and give
// the same number in every process for the same seed.

/** MurmurHash3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(value: number): number {
  let h = value | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

export function hash32(text: string, seed: number): number {
  let h = seed | 0
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  return fmix32(h ^ text.length)
}

/** A number in [0, 1) fixed by (text, seed): the split's coin for a group. */
export const unitHash = (text: string, seed: number): number => hash32(text, seed) / 0x1_0000_0000
