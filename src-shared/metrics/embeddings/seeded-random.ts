// Seeded randomness for embedding metrics (mulberry32 and content-keyed orders), so that subsampling and
// k-means++ give the same answer on every run, machine and input order; Math.random would not.

export { seededRandom } from '../../domain/seeded-random'

/** FNV-1a over the float32 bits of a vector, mixed with the seed: a stable pseudo-random key per content. */
function contentKey(vector: Float32Array, seed: number): number {
  const bits = new Uint32Array(vector.buffer, vector.byteOffset, vector.length)
  let hash = (0x811c9dc5 ^ seed) >>> 0
  for (const word of bits) {
    hash = Math.imul(hash ^ word, 0x01000193) >>> 0
  }
  return hash
}

/**
 * The vectors in an order fixed by their contents and the seed, not by the order they arrived in, so that
 * seeded steps (subsampling, k-means++) give a set metric that is invariant to permutation. Equal keys are
 * broken by comparing the values, so only identical vectors keep an arbitrary relative order.
 */
export function canonicalOrder(vectors: readonly Float32Array[], seed: number): Float32Array[] {
  const keyed = vectors.map((vector) => ({ vector, key: contentKey(vector, seed) }))
  keyed.sort((a, b) => a.key - b.key || compareValues(a.vector, b.vector))
  return keyed.map((entry) => entry.vector)
}

function compareValues(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

/** A seeded subset of at most `size` vectors that does not depend on the input order. */
export function seededSubset(vectors: readonly Float32Array[], size: number, seed: number): Float32Array[] {
  return canonicalOrder(vectors, seed).slice(0, size)
}
