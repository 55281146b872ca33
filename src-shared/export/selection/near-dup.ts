// Near-duplicate search over b-bit signatures in priority order, without a hash map of every band of every
// item (36 million entries for two million items, past what a renderer can hold): for each LSH band the
// items are sorted by the band's hash packed with their rank into one float, so items sharing a band sit
// next to each other; only those become candidate pairs. Then, in rank order, an item is a near-duplicate of
// the earliest surviving candidate at or above the threshold — the same greedy rule as before.
import { fmix32 } from './hash'
import { compactSimilarity } from './fingerprint'

export type NearMatch = { rank: number; keptRank: number; similarity: number }

const RANK_BITS = 22 // 31 bits of band hash above 22 bits of rank fill a double's 53-bit integer range
const RANK_LIMIT = 2 ** RANK_BITS

function bandHash(sig: Uint8Array, band: number, rows: number): number {
  let h = fmix32(band + 0x5bd1e995)
  for (let i = band * rows; i < (band + 1) * rows; i++) h = fmix32(h ^ (sig[i]! + (i << 8)))
  return h >>> 1
}

/** Earlier ranks sharing at least one band with each rank, for the ranks that have any. */
function candidatePairs(
  n: number,
  signatureOf: (rank: number) => Uint8Array,
  bands: number,
  rows: number,
): Map<number, number[]> {
  const pairs = new Map<number, number[]>()
  const add = (rank: number, earlier: number): void => {
    const list = pairs.get(rank)
    if (list === undefined) pairs.set(rank, [earlier])
    else list.push(earlier)
  }
  const keys = new Float64Array(n)
  const order = new Uint32Array(n)
  for (let band = 0; band < bands; band++) {
    let sorted: ArrayLike<number>
    let hashOf: (at: number) => number
    let rankOf: (at: number) => number
    if (n < RANK_LIMIT) {
      for (let r = 0; r < n; r++) keys[r] = bandHash(signatureOf(r), band, rows) * RANK_LIMIT + r
      keys.sort()
      sorted = keys
      hashOf = (at) => Math.floor(keys[at]! / RANK_LIMIT)
      rankOf = (at) => keys[at]! % RANK_LIMIT
    } else {
      const hashes = new Uint32Array(n)
      for (let r = 0; r < n; r++) {
        hashes[r] = bandHash(signatureOf(r), band, rows)
        order[r] = r
      }
      order.sort((a, b) => hashes[a]! - hashes[b]! || a - b)
      sorted = order
      hashOf = (at) => hashes[order[at]!]!
      rankOf = (at) => order[at]!
    }
    for (let start = 0; start < sorted.length;) {
      let end = start + 1
      while (end < sorted.length && hashOf(end) === hashOf(start)) end++
      // Within a run ranks ascend: each member is paired with every earlier one.
      for (let i = start + 1; i < end; i++) for (let j = start; j < i; j++) add(rankOf(i), rankOf(j))
      start = end
    }
  }
  return pairs
}

/**
 * `signatureOf(rank)` for ranks 0…n−1 in priority order; `isProtected(rank)` items are never dropped (but others
 * may match them). Returns the near-duplicates, each with the earliest surviving item it matches.
 */
export function findNearDuplicates(
  n: number,
  signatureOf: (rank: number) => Uint8Array,
  bands: number,
  rows: number,
  threshold: number,
  isProtected: (rank: number) => boolean,
): NearMatch[] {
  const pairs = candidatePairs(n, signatureOf, bands, rows)
  const survives = new Uint8Array(n).fill(1)
  const matches: NearMatch[] = []
  for (const rank of [...pairs.keys()].sort((a, b) => a - b)) {
    if (isProtected(rank)) continue
    const earlier = [...new Set(pairs.get(rank))].sort((a, b) => a - b)
    for (const other of earlier) {
      if (survives[other] === 0) continue
      const similarity = compactSimilarity(signatureOf(rank), signatureOf(other))
      if (similarity >= threshold) {
        survives[rank] = 0
        matches.push({ rank, keptRank: other, similarity })
        break
      }
    }
  }
  return matches
}
