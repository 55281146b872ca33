// Text collapse metrics benchmark: the full `textMetricReport` on 1,000 / 10,000 / 100,000 synthetic texts of
// ~50 tokens (Zipfian vocabulary) against a 1,000-text reference, the growth exponent between 10k and 100k
// (1 = linear; a quadratic pass would show ≈ 2), and Vendi order 2 on 1,000 768-dimensional unit vectors.
// Prints one line per size and one JSON line last.
import { performance } from 'node:perf_hooks'
import { vendiOrder2 } from '@shared/metrics/embeddings/vendi'
import { textMetricReport } from '@shared/metrics/text/report'

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number)
const vocabularySize = 20_000
const zipfExponent = 1.1

/** mulberry32: a small seeded generator, so every run benchmarks the same texts. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Pronounceable pseudo-words, one per rank: rank 0 is the most frequent. */
const syllables = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'to',
  'vi',
  'be',
  'da',
  'fo',
  'gu',
  'he',
  'ji',
  'po',
  'ze',
]
const wordOf = (rank: number): string => {
  let word = ''
  let r = rank + 1
  while (r > 0) {
    word += syllables[r % syllables.length] ?? ''
    r = Math.floor(r / syllables.length)
  }
  return word
}
const words = Array.from({ length: vocabularySize }, (_, rank) => wordOf(rank))

/** Cumulative Zipf(s) weights over ranks, for inverse-CDF sampling by binary search. */
const cumulative = (() => {
  const out = new Float64Array(vocabularySize)
  let sum = 0
  for (let k = 0; k < vocabularySize; k++) out[k] = sum += 1 / Math.pow(k + 1, zipfExponent)
  return out.map((v) => v / sum)
})()

function zipfRank(u: number): number {
  let lo = 0
  let hi = vocabularySize - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((cumulative[mid] ?? 1) < u) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Texts of 40–60 tokens in sentences of 6–15 words, capitalised and full-stopped like prose. */
function synthetic(count: number, seed: number): string[] {
  const next = random(seed)
  return Array.from({ length: count }, () => {
    const length = 40 + Math.floor(next() * 21)
    const sentences: string[] = []
    let left = length
    while (left > 0) {
      const size = Math.min(left, 6 + Math.floor(next() * 10))
      const sentence = Array.from({ length: size }, () => words[zipfRank(next())] ?? '')
      sentences.push(`${sentence.join(' ').replace(/^./u, (c) => c.toUpperCase())}.`)
      left -= size
    }
    return sentences.join(' ')
  })
}

function unitVectors(count: number, dimension: number, seed: number): Float32Array[] {
  const next = random(seed)
  return Array.from({ length: count }, () => {
    const v = new Float32Array(dimension)
    let norm = 0
    for (let i = 0; i < dimension; i++) {
      // Box–Muller: Gaussian coordinates give directions uniform on the sphere.
      const g = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
      v[i] = g
      norm += g * g
    }
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < dimension; i++) v[i] = (v[i] ?? 0) * scale
    return v
  })
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits))

function main(): void {
  const reference = synthetic(1000, 1)
  // Warm-up, so the first timed size is not paying for the JIT.
  textMetricReport(synthetic(500, 99), reference)
  const seconds = new Map<number, number>()
  let last: ReturnType<typeof textMetricReport> | null = null
  for (const size of sizes) {
    const samples = synthetic(size, 2)
    const start = performance.now()
    last = textMetricReport(samples, reference)
    const elapsed = (performance.now() - start) / 1000
    seconds.set(size, elapsed)
    console.log(
      `samples ${size}: ${elapsed.toFixed(2)} s (${((elapsed / size) * 1e6).toFixed(0)} µs/text); ` +
        `distinct-2 ${last.distinct.n2?.toFixed(4)}, self-BLEU-4 ${last.selfBleu4?.toFixed(4)}, ` +
        `tail recall ${last.tailRecall.types?.toFixed(4)}, JSD ${last.unigramJsd?.toFixed(4)}, ` +
        `near-dup ${last.nearDuplicateRate?.toFixed(4)}`,
    )
  }
  const s10k = seconds.get(10_000)
  const s100k = seconds.get(100_000)
  const growthExponent =
    s10k !== undefined && s100k !== undefined ? Math.log(s100k / s10k) / Math.log(100_000 / 10_000) : null

  const vectors = unitVectors(1000, 768, 3)
  vendiOrder2(vectors.slice(0, 50)) // warm-up
  const vendiStart = performance.now()
  const vendi = vendiOrder2(vectors)
  const vendiSeconds = (performance.now() - vendiStart) / 1000
  console.log(`vendi order 2, 1000 × 768: ${vendiSeconds.toFixed(3)} s (score ${vendi.toFixed(1)})`)

  console.log(
    JSON.stringify({
      bench: 'metrics',
      seconds10k: s10k === undefined ? null : round(s10k),
      growthExponent: growthExponent === null ? null : round(growthExponent),
      seconds1k: seconds.has(1000) ? round(seconds.get(1000) ?? 0) : null,
      seconds100k: s100k === undefined ? null : round(s100k),
      tokenBudget: last?.tokenBudget ?? null,
      vendiOrder2Seconds: round(vendiSeconds),
      vendiOrder2Score: round(vendi, 1),
      target10kSeconds: 10,
      targetGrowthExponent: 1.2,
    }),
  )
}

main()
