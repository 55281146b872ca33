// The two Gram matrices of a set of unit embeddings X (n×d): the feature second-moment XᵀX/n (d×d) and the
// sample kernel XXᵀ/n (n×n). They share their nonzero eigenvalues, so a metric builds whichever is smaller.

/**
 * XᵀX/n as a dense row-major d×d array, for unit rows: O(n·d²) time, O(d²) memory, independent of n.
 * Only the upper triangle is accumulated (half the work) and mirrored at the end.
 */
export function featureSecondMoment(units: readonly Float64Array[], dimension: number): Float64Array {
  const d = dimension
  const gram = new Float64Array(d * d)
  const empty = new Float64Array(d)
  // Four vectors per sweep: the d×d accumulator (4.7 MB at d = 768) outgrows the cache, so reading and
  // writing it once per four rank-one updates instead of once per update is most of the speed.
  for (let start = 0; start < units.length; start += 4) {
    const a = units[start] ?? empty
    const b = units[start + 1] ?? empty
    const c = units[start + 2] ?? empty
    const e = units[start + 3] ?? empty
    for (let i = 0; i < d; i++) {
      const ai = a[i] ?? 0
      const bi = b[i] ?? 0
      const ci = c[i] ?? 0
      const ei = e[i] ?? 0
      const row = i * d
      for (let j = i; j < d; j++) {
        gram[row + j] =
          (gram[row + j] ?? 0) + ai * (a[j] ?? 0) + bi * (b[j] ?? 0) + ci * (c[j] ?? 0) + ei * (e[j] ?? 0)
      }
    }
  }
  const n = units.length
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = (gram[i * d + j] ?? 0) / n
      gram[i * d + j] = value
      gram[j * d + i] = value
    }
  }
  return gram
}

/** XXᵀ/n as a dense row-major n×n array (cosine kernel / n); used only when n is the smaller side. */
export function sampleKernel(units: readonly Float64Array[]): Float64Array {
  const n = units.length
  const kernel = new Float64Array(n * n)
  for (let a = 0; a < n; a++) {
    const xa = units[a] ?? new Float64Array(0)
    for (let b = a; b < n; b++) {
      const xb = units[b] ?? new Float64Array(0)
      let dot = 0
      for (let i = 0; i < xa.length; i++) dot += (xa[i] ?? 0) * (xb[i] ?? 0)
      kernel[a * n + b] = dot / n
      kernel[b * n + a] = dot / n
    }
  }
  return kernel
}
