// Vendi score (Friedman & Dieng 2023): the effective number of distinct items in a set of embeddings, the
// exponential of an entropy of the eigenvalues of the cosine kernel K/n. Falls under mode collapse.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix'
import { featureSecondMoment, sampleKernel } from './gram'
import { commonDimension, unitVectors } from './unit-vectors'

/**
 * Order-2 Vendi score 1 / ‖XᵀX/n‖_F² for unit rows X. Σλ² of K/n equals ‖K/n‖_F² = ‖XᵀX/n‖_F², so no
 * eigen-decomposition and no n×n matrix are needed: O(n·d²) time, O(d²) memory. Vectors are scaled to unit
 * length first (the cosine kernel), which changes nothing for the L2-normalised vectors Ollama returns.
 * Returns 0 for an empty set (no items) and a value in [1, n] otherwise (up to float round-off).
 */
export function vendiOrder2(vectors: readonly Float32Array[]): number {
  if (vectors.length === 0) return 0
  const dimension = commonDimension(vectors)
  const gram = featureSecondMoment(unitVectors(vectors), dimension)
  let squaredNorm = 0
  for (const value of gram) squaredNorm += value * value
  return 1 / squaredNorm
}

/**
 * Order-1 Vendi score exp(−Σ λ ln λ) over the eigenvalues λ of K/n (Shannon entropy, the paper's default).
 * Decomposes the smaller of K/n (n×n) and XᵀX/n (d×d); their nonzero eigenvalues coincide.
 * Returns 0 for an empty set and a value in [1, n] otherwise; never below the order-2 score (Rényi entropies
 * fall with the order).
 */
export function vendiOrder1(vectors: readonly Float32Array[]): number {
  if (vectors.length === 0) return 0
  const dimension = commonDimension(vectors)
  const units = unitVectors(vectors)
  const size = Math.min(units.length, dimension)
  const dense = units.length <= dimension ? sampleKernel(units) : featureSecondMoment(units, dimension)
  const rows = Array.from({ length: size }, (_, i) => Array.from(dense.subarray(i * size, (i + 1) * size)))
  const eigenvalues = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues
  // Round-off leaves eigenvalues of a rank-deficient matrix slightly negative; they carry no mass.
  const positive = eigenvalues.filter((value) => value > 0)
  const total = positive.reduce((sum, value) => sum + value, 0)
  let entropy = 0
  for (const value of positive) {
    const p = value / total
    entropy -= p * Math.log(p)
  }
  return Math.exp(entropy)
}
