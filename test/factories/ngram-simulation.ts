// Recursive training of a tiny language model, for the collapse-monitor simulation: a seeded Zipfian
// "human" source, a smoothed bigram model with an empirical length model, and the three regimes of the
// literature (replace, accumulate, replace with 10 % real data kept), all deterministic given the seeds.
import { seededRandom } from '@shared/metrics/embeddings/seeded-random'

/** A text as word ids into the source's vocabulary. */
export type IdText = readonly number[]

export interface ZipfSourceOptions {
  vocabulary: number
  exponent: number
  minLength: number
  maxLength: number
}

export const defaultSource: ZipfSourceOptions = {
  vocabulary: 2000,
  exponent: 1.1,
  minLength: 15,
  maxLength: 25,
}

/** Draws from fixed weights by binary search on the cumulative sums (O(log n) a draw). */
class WeightedSampler {
  readonly #ids: number[]
  readonly #cumulative: number[]
  constructor(weights: ReadonlyMap<number, number>) {
    this.#ids = []
    this.#cumulative = []
    let total = 0
    for (const [id, weight] of weights) {
      total += weight
      this.#ids.push(id)
      this.#cumulative.push(total)
    }
  }
  get total(): number {
    return this.#cumulative.at(-1) ?? 0
  }
  draw(random: () => number): number {
    const target = random() * this.total
    let lo = 0
    let hi = this.#cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.#cumulative[mid] ?? 0) > target) hi = mid
      else lo = mid + 1
    }
    return this.#ids[lo] ?? 0
  }
}

/**
 * Pronounceable distinct words for ids, so the JSONL looks like text and the tokeniser sees one word-like
 * segment per id (no digits that a tokeniser might split differently).
 */
const syllables = [
  'ka',
  'lo',
  'mi',
  'nu',
  'pe',
  'ra',
  'so',
  'ti',
  'va',
  'zu',
  'be',
  'do',
  'fi',
  'gu',
  'ha',
  'je',
]
export function wordOf(id: number): string {
  let word = ''
  let rest = id
  do {
    word += syllables[rest % syllables.length] ?? ''
    rest = Math.floor(rest / syllables.length)
  } while (rest > 0)
  return `${word}x`
}

export const toText = (text: IdText): string => text.map(wordOf).join(' ')

/** Human texts: independent Zipfian words (rank r has weight r^−s), uniform lengths. */
export function humanTexts(count: number, seed: number, source: ZipfSourceOptions = defaultSource): IdText[] {
  const weights = new Map<number, number>()
  for (let rank = 1; rank <= source.vocabulary; rank++) weights.set(rank - 1, rank ** -source.exponent)
  const sampler = new WeightedSampler(weights)
  const random = seededRandom(seed)
  const span = source.maxLength - source.minLength + 1
  return Array.from({ length: count }, () => {
    const length = source.minLength + Math.floor(random() * span)
    return Array.from({ length }, () => sampler.draw(random))
  })
}

const BEGIN = -1

/**
 * Bigram model interpolated with an add-ε unigram over the whole vocabulary:
 * P(w | v) = λ·c(v, w)/c(v) + (1 − λ)·(c(w) + ε)/(N + εV). The ε is small, so a type absent from the
 * training set is almost never produced again — the finite-sample tail loss that drives collapse.
 */
export interface BigramModel {
  sample(count: number, seed: number): IdText[]
  /** Natural-log probability of every token of the texts (the first one given the start), pooled. */
  logprobs(texts: readonly IdText[]): number[]
}

/** Per-token perplexity from pooled log-probabilities. */
export const perplexityOf = (logprobs: readonly number[]): number =>
  Math.exp(-logprobs.reduce((a, b) => a + b, 0) / Math.max(1, logprobs.length))

/** Share of tokens with log p < −10, the held-out "forgotten" share of COLLAPSE.md. */
export const forgottenShareOf = (logprobs: readonly number[]): number =>
  logprobs.filter((logprob) => logprob < -10).length / Math.max(1, logprobs.length)

export interface BigramOptions {
  lambda: number
  epsilon: number
  vocabulary: number
}

export const defaultBigram: BigramOptions = {
  lambda: 0.9,
  epsilon: 0.01,
  vocabulary: defaultSource.vocabulary,
}

export function trainBigram(corpus: readonly IdText[], options: BigramOptions = defaultBigram): BigramModel {
  const pairs = new Map<number, Map<number, number>>()
  const unigram = new Map<number, number>()
  const lengths = corpus.map((text) => text.length).filter((length) => length > 0)
  let tokens = 0
  for (const text of corpus) {
    let previous = BEGIN
    for (const word of text) {
      const row = pairs.get(previous) ?? new Map<number, number>()
      row.set(word, (row.get(word) ?? 0) + 1)
      pairs.set(previous, row)
      unigram.set(word, (unigram.get(word) ?? 0) + 1)
      tokens++
      previous = word
    }
  }
  const rows = new Map([...pairs].map(([previous, row]) => [previous, new WeightedSampler(row)]))
  const unigramSampler = new WeightedSampler(unigram)
  const floorMass = options.epsilon * options.vocabulary
  const { lambda } = options

  const next = (previous: number, random: () => number): number => {
    const row = rows.get(previous)
    if (row !== undefined && random() < lambda) return row.draw(random)
    if (random() * (tokens + floorMass) < floorMass) return Math.floor(random() * options.vocabulary)
    return unigramSampler.draw(random)
  }
  const probability = (previous: number, word: number): number => {
    const row = pairs.get(previous)
    const rowTotal = rows.get(previous)?.total ?? 0
    const backoff = ((unigram.get(word) ?? 0) + options.epsilon) / (tokens + floorMass)
    if (row === undefined || rowTotal === 0) return backoff
    return (lambda * (row.get(word) ?? 0)) / rowTotal + (1 - lambda) * backoff
  }

  return {
    sample(count, seed) {
      const random = seededRandom(seed)
      return Array.from({ length: count }, () => {
        const length = lengths[Math.floor(random() * lengths.length)] ?? 0
        const text: number[] = []
        let previous = BEGIN
        for (let i = 0; i < length; i++) {
          previous = next(previous, random)
          text.push(previous)
        }
        return text
      })
    },
    logprobs(texts) {
      const out: number[] = []
      for (const text of texts) {
        let previous = BEGIN
        for (const word of text) {
          out.push(Math.log(probability(previous, word)))
          previous = word
        }
      }
      return out
    },
  }
}

export type Regime = 'replace' | 'accumulate' | 'replace-10-real'

export interface SimulationOptions {
  regime: Regime
  /** Generations after generation 0 (the model trained on human data only). */
  generations: number
  samplesPerGeneration: number
  human: readonly IdText[]
  seed: number
  bigram?: BigramOptions
}

export interface SimulatedGeneration {
  generation: number
  samples: IdText[]
  /** The model's perplexity on a held-out human set and its forgotten share (figures only: the CLI is text-only). */
  heldOut: { perplexity: number; forgottenShare: number } | null
}

/** The training set of generation t + 1 under each regime, from the human data and the samples so far. */
function nextTrainingSet(
  options: SimulationOptions,
  history: readonly IdText[][],
  generation: number,
): IdText[] {
  const latest = history.at(-1) ?? []
  if (options.regime === 'replace') return [...latest]
  if (options.regime === 'accumulate') return [...options.human, ...history.flat()]
  // Shumailov et al.'s "10 % of the original data preserved": a fresh seeded tenth of the human set each time.
  const realCount = Math.round(options.samplesPerGeneration / 10)
  const random = seededRandom(options.seed * 7919 + generation)
  const real = Array.from(
    { length: realCount },
    () => options.human[Math.floor(random() * options.human.length)],
  )
  return [
    ...latest.slice(0, options.samplesPerGeneration - realCount),
    ...real.filter((t) => t !== undefined),
  ]
}

/** Generation 0 is sampled from the model trained on the human data; each later one per the regime. */
export function simulate(options: SimulationOptions, heldOut: readonly IdText[] = []): SimulatedGeneration[] {
  const out: SimulatedGeneration[] = []
  const history: IdText[][] = []
  let training: IdText[] = [...options.human]
  for (let generation = 0; generation <= options.generations; generation++) {
    const model = trainBigram(training, options.bigram)
    // The same sampling seed per generation in every regime, so generation 0 is identical across regimes.
    const samples = model.sample(options.samplesPerGeneration, options.seed + 1000 * generation)
    history.push(samples)
    const logprobs = heldOut.length === 0 ? null : model.logprobs(heldOut)
    out.push({
      generation,
      samples,
      heldOut:
        logprobs === null
          ? null
          : { perplexity: perplexityOf(logprobs), forgottenShare: forgottenShareOf(logprobs) },
    })
    training = nextTrainingSet(options, history, generation)
  }
  return out
}
