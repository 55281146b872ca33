// mulberry32: a tiny seeded generator of uniform numbers in [0, 1), the same sequence on every machine and
// run, for the places that must not use Math.random (review order, metric subsampling, test and bench data).

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
