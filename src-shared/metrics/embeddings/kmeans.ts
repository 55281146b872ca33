// Seeded k-means (k-means++ initialisation, then Lloyd iterations) for MAUVE's quantisation of embeddings.
// Deterministic for a given seed and point order; callers that need order-free results sort first.
import { seededRandom } from './seeded-random'

export interface KMeansOptions {
  clusters: number
  maxIterations: number
  /** Independent runs from different seeded initialisations; the one with the least inertia wins. */
  restarts: number
  seed: number
}

export interface KMeansResult {
  labels: Int32Array
  /** Sum of squared distances of points to their centres. */
  inertia: number
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let total = 0
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    total += difference * difference
  }
  return total
}

/** k-means++ (Arthur & Vassilvitskii 2007): each next centre drawn with probability ∝ D² to the nearest. */
function initialCentres(points: readonly Float64Array[], k: number, random: () => number): Float64Array[] {
  const first = points[Math.floor(random() * points.length)] ?? new Float64Array(0)
  const centres = [Float64Array.from(first)]
  const nearest = points.map((point) => squaredDistance(point, first))
  while (centres.length < k) {
    const total = nearest.reduce((sum, d) => sum + d, 0)
    // All points coincide with a centre: further centres would duplicate one; stop with fewer clusters.
    if (!(total > 0)) break
    let target = random() * total
    let index = 0
    for (; index < points.length - 1; index++) {
      target -= nearest[index] ?? 0
      if (target < 0) break
    }
    const centre = Float64Array.from(points[index] ?? first)
    centres.push(centre)
    points.forEach((point, i) => {
      nearest[i] = Math.min(nearest[i] ?? 0, squaredDistance(point, centre))
    })
  }
  return centres
}

function lloyd(
  points: readonly Float64Array[],
  centres: Float64Array[],
  maxIterations: number,
): KMeansResult {
  const labels = new Int32Array(points.length).fill(-1)
  const dimension = points[0]?.length ?? 0
  let inertia = 0
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false
    inertia = 0
    points.forEach((point, i) => {
      let best = 0
      let bestDistance = Infinity
      centres.forEach((centre, c) => {
        const distance = squaredDistance(point, centre)
        if (distance < bestDistance) {
          bestDistance = distance
          best = c
        }
      })
      inertia += bestDistance
      if (labels[i] !== best) changed = true
      labels[i] = best
    })
    if (!changed) break
    const sums = centres.map(() => new Float64Array(dimension))
    const counts = new Int32Array(centres.length)
    points.forEach((point, i) => {
      const label = labels[i] ?? 0
      const sum = sums[label] ?? new Float64Array(dimension)
      for (let j = 0; j < dimension; j++) sum[j] = (sum[j] ?? 0) + (point[j] ?? 0)
      counts[label] = (counts[label] ?? 0) + 1
    })
    // An emptied cluster keeps its old centre rather than jumping somewhere arbitrary.
    centres.forEach((centre, c) => {
      const count = counts[c] ?? 0
      const sum = sums[c]
      if (count === 0 || sum === undefined) return
      for (let j = 0; j < dimension; j++) centre[j] = (sum[j] ?? 0) / count
    })
  }
  return { labels, inertia }
}

/** Clusters `points` (all of one dimension) into at most `clusters` groups. */
export function kMeans(points: readonly Float64Array[], options: KMeansOptions): KMeansResult {
  if (points.length === 0) return { labels: new Int32Array(0), inertia: 0 }
  const random = seededRandom(options.seed)
  const k = Math.max(1, Math.min(options.clusters, points.length))
  let best: KMeansResult | null = null
  for (let run = 0; run < Math.max(1, options.restarts); run++) {
    const result = lloyd(points, initialCentres(points, k, random), options.maxIterations)
    if (best === null || result.inertia < best.inertia) best = result
  }
  return best ?? { labels: new Int32Array(points.length), inertia: 0 }
}
