// Shared input checks for embedding metrics: one dimension for all vectors, and each vector's inverse norm so
// metrics can use the cosine kernel even when an engine returns vectors that are not quite L2-normalised.

/** The common dimension of `vectors`; throws when they differ, since a dot product would silently truncate. */
export function commonDimension(vectors: readonly Float32Array[]): number {
  const dimension = vectors[0]?.length ?? 0
  for (const vector of vectors) {
    if (vector.length !== dimension) {
      throw new RangeError(`embedding dimensions differ: ${vector.length} and ${dimension}`)
    }
  }
  return dimension
}

/**
 * 1 / ‖v‖ for each vector. A zero vector has no direction, so no cosine similarity: it is rejected rather
 * than given a made-up similarity that would bend every set metric it enters.
 */
export function inverseNorms(vectors: readonly Float32Array[]): Float64Array {
  const inverse = new Float64Array(vectors.length)
  vectors.forEach((vector, index) => {
    let squared = 0
    for (let i = 0; i < vector.length; i++) {
      const value = vector[i] ?? 0
      squared += value * value
    }
    if (!(squared > 0) || !Number.isFinite(squared)) {
      throw new RangeError(`embedding ${index} has no direction (zero or non-finite norm)`)
    }
    inverse[index] = 1 / Math.sqrt(squared)
  })
  return inverse
}

/** Copies `vectors` scaled to unit length, as Float64Array for accumulation without float32 rounding. */
export function unitVectors(vectors: readonly Float32Array[]): Float64Array[] {
  commonDimension(vectors)
  const inverse = inverseNorms(vectors)
  return vectors.map((vector, index) => {
    const scale = inverse[index] ?? 0
    const unit = new Float64Array(vector.length)
    for (let i = 0; i < vector.length; i++) unit[i] = (vector[i] ?? 0) * scale
    return unit
  })
}
