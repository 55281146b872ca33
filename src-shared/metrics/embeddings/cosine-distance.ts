// Mean pairwise cosine distance of a set of embeddings, and the same within each input's k candidates
// (within-input spread): the earliest embedding sign of mode collapse in instruction-tuned models.
import { commonDimension, unitVectors } from './unit-vectors'

/**
 * Mean of 1 − cos(x_a, x_b) over unordered pairs a ≠ b. For unit vectors Σ_{a≠b} x_a·x_b = ‖Σx‖² − n, so
 * the mean comes from the sum vector in O(n·d) with no pass over pairs. In [0, 2]; null below two vectors.
 */
export function meanPairwiseCosineDistance(vectors: readonly Float32Array[]): number | null {
  const n = vectors.length
  if (n < 2) return null
  const dimension = commonDimension(vectors)
  const sum = new Float64Array(dimension)
  for (const unit of unitVectors(vectors)) {
    for (let i = 0; i < dimension; i++) sum[i] = (sum[i] ?? 0) + (unit[i] ?? 0)
  }
  let squaredNorm = 0
  for (const value of sum) squaredNorm += value * value
  const meanCosine = (squaredNorm - n) / (n * (n - 1))
  return 1 - meanCosine
}

/**
 * Mean over inputs of the mean pairwise cosine distance among that input's candidates. Inputs with fewer
 * than two candidates say nothing about spread and are skipped; null when none has two.
 */
export function withinInputSpread(candidatesPerInput: readonly (readonly Float32Array[])[]): number | null {
  let total = 0
  let inputs = 0
  for (const candidates of candidatesPerInput) {
    const distance = meanPairwiseCosineDistance(candidates)
    if (distance === null) continue
    total += distance
    inputs++
  }
  return inputs === 0 ? null : total / inputs
}
