// Vendi scores: golden values worked out by hand for sets whose kernel eigenvalues are known, and properties
// from the definition (range [1, n], permutation invariance, order 1 ≥ order 2, both eigen paths agree).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { vendiOrder1, vendiOrder2 } from '@shared/metrics/embeddings/vendi'

const vec = (...values: number[]) => Float32Array.from(values)
const basis = (n: number, d: number) =>
  Array.from({ length: n }, (_, i) => {
    const v = new Float32Array(d)
    v[i] = 1
    return v
  })

/** Non-zero vectors of a fixed dimension; small integers keep them far from float trouble. */
const vectorSet = (d: number, maxLength: number) =>
  fc
    .array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: d, maxLength: d }), {
      minLength: 1,
      maxLength,
    })
    .map((rows) => rows.map((row) => (row.every((x) => x === 0) ? [1, ...row.slice(1)] : row)))
    .map((rows) => rows.map((row) => Float32Array.from(row)))

describe('vendiOrder2 and vendiOrder1, golden values', () => {
  it('gives 1 for n identical vectors (one effective item); tolerance 1e-9', () => {
    const same = Array.from({ length: 5 }, () => vec(0.6, 0.8, 0))
    expect(vendiOrder2(same)).toBeCloseTo(1, 9)
    expect(vendiOrder1(same)).toBeCloseTo(1, 9)
  })

  it('gives n for n orthonormal vectors, both when n < d and when n = d; tolerance 1e-9', () => {
    expect(vendiOrder2(basis(3, 5))).toBeCloseTo(3, 9)
    expect(vendiOrder1(basis(3, 5))).toBeCloseTo(3, 9)
    expect(vendiOrder2(basis(4, 4))).toBeCloseTo(4, 9)
    expect(vendiOrder1(basis(4, 4))).toBeCloseTo(4, 9)
  })

  it('matches the closed form for two unit vectors at 60°; tolerance 1e-6', () => {
    // K/2 = [[1/2, c/2], [c/2, 1/2]] with c = cos 60° = 0.5: eigenvalues (1 ± c)/2 = 0.75 and 0.25.
    // Order 2: 1 / (0.75² + 0.25²) = 1 / 0.625 = 1.6.
    // Order 1: exp(−0.75 ln 0.75 − 0.25 ln 0.25) = exp(0.215762 + 0.346574) = exp(0.562335) = 1.754765.
    const pair = [vec(1, 0, 0), vec(0.5, Math.sqrt(3) / 2, 0)]
    expect(vendiOrder2(pair)).toBeCloseTo(1.6, 6)
    expect(vendiOrder1(pair)).toBeCloseTo(1.754765, 6)
  })

  it('takes the d×d path when n > d: two copies each of two orthogonal directions count as 2', () => {
    // XᵀX/4 = diag(0.5, 0.5): both orders give 2; n = 4 > d = 2 so order 1 decomposes the 2×2 matrix.
    const set = [vec(1, 0), vec(0, 1), vec(1, 0), vec(0, 1)]
    expect(vendiOrder2(set)).toBeCloseTo(2, 9)
    expect(vendiOrder1(set)).toBeCloseTo(2, 9)
  })

  it('uses the cosine kernel: scaling a vector changes nothing', () => {
    const pair = [vec(1, 0, 0), vec(0.5, Math.sqrt(3) / 2, 0)]
    const scaled = [vec(3, 0, 0), vec(0.05, Math.sqrt(3) / 20, 0)]
    expect(vendiOrder2(scaled)).toBeCloseTo(vendiOrder2(pair), 6)
    expect(vendiOrder1(scaled)).toBeCloseTo(vendiOrder1(pair), 6)
  })

  it('returns 0 for an empty set and rejects mixed dimensions and zero vectors', () => {
    expect(vendiOrder2([])).toBe(0)
    expect(vendiOrder1([])).toBe(0)
    expect(() => vendiOrder2([vec(1, 0), vec(1, 0, 0)])).toThrow(RangeError)
    expect(() => vendiOrder1([vec(1, 0), vec(0, 0)])).toThrow(RangeError)
  })
})

describe('vendi properties', () => {
  const eps = 1e-9

  it('lies in [1, n] and order 1 ≥ order 2', () => {
    fc.assert(
      fc.property(vectorSet(4, 8), (set) => {
        const q2 = vendiOrder2(set)
        const q1 = vendiOrder1(set)
        expect(q2).toBeGreaterThanOrEqual(1 - eps)
        expect(q2).toBeLessThanOrEqual(set.length + eps)
        expect(q1).toBeGreaterThanOrEqual(q2 - 1e-7)
        expect(q1).toBeLessThanOrEqual(set.length + 1e-7)
      }),
      { numRuns: 60 },
    )
  })

  it('does not depend on the order of the vectors', () => {
    fc.assert(
      fc.property(
        vectorSet(3, 7).chain((set) =>
          fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length })),
        ),
        ([set, shuffled]) => {
          expect(vendiOrder2(shuffled)).toBeCloseTo(vendiOrder2(set), 9)
          expect(vendiOrder1(shuffled)).toBeCloseTo(vendiOrder1(set), 7)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('gives the same order-1 score through the n×n and the d×d eigen path (zero padding switches path)', () => {
    fc.assert(
      fc.property(vectorSet(3, 6), (set) => {
        // n ≥ 4 > d = 3 uses the d×d matrix; padded to d = 12 ≥ n it uses the n×n kernel. Same geometry.
        const padded = set.map((v) => {
          const p = new Float32Array(12)
          p.set(v)
          return p
        })
        expect(vendiOrder1(padded)).toBeCloseTo(vendiOrder1(set), 7)
        expect(vendiOrder2(padded)).toBeCloseTo(vendiOrder2(set), 9)
      }),
      { numRuns: 40 },
    )
  })
})
