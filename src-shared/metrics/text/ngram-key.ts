// Numeric keys for n-grams of token ids, so that sets and maps of n-grams hold numbers rather than joined
// strings (a 100,000-text report would otherwise build millions of short strings).

const c1 = 0xcc9e2d51
const c2 = 0x1b873593

function fmix(value: number): number {
  let h = value | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** MurmurHash3's block step over one 32-bit id. */
function step(h: number, id: number): number {
  let k = Math.imul(id, c1)
  k = (k << 15) | (k >>> 17)
  h ^= Math.imul(k, c2)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/**
 * The n-gram `ids[start .. start + n)` as a 53-bit number: two independent 32-bit MurmurHash3 runs, one
 * kept whole and 21 bits of the other. Distinct n-grams collide with probability about m²/2⁵⁴, under 0.01
 * expected collisions for m = 10⁷ n-grams — far below the precision any of these rates is reported at.
 * Unigrams use the id itself, which is exact.
 */
export function ngramKey(ids: readonly number[], start: number, n: number): number {
  if (n === 1) return ids[start] ?? -1
  let a = 0x2545f491
  let b = 0x9e3779b9 | 0
  for (let i = start; i < start + n; i++) {
    const id = ids[i] ?? -1
    a = step(a, id)
    b = step(b, id ^ 0x5bd1e995)
  }
  return fmix(a ^ n) * 0x20_0000 + (fmix(b ^ n) >>> 11)
}

/** Number of n-grams a text of `length` tokens has; n-grams never cross text boundaries. */
export const ngramCount = (length: number, n: number): number => Math.max(0, length - n + 1)
