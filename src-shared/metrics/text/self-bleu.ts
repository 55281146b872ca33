// Self-BLEU-4 (Zhu et al. 2018, Texygen): each text scored by BLEU-4 against all the others as references,
// averaged. Rises as texts grow alike. BLEU follows Papineni et al. 2002 with Chen & Cherry's smoothing 1.
import { ngramCount, ngramKey } from './ngram-key'
import { Vocabulary } from './tokenise'
import type { TokenTexts } from './budget'

/** Chen & Cherry (2014) method 1, as NLTK's `SmoothingFunction().method1` and Texygen use it. */
const epsilon = 0.1
const maxOrder = 4

/**
 * Brevity penalty exp(1 − r/c) when the hypothesis (c tokens) is no longer than r, the reference length
 * closest to c (the shorter one on a tie, as NLTK does).
 */
function brevityPenalty(c: number, referenceLengths: Iterable<number>): number {
  let r = Number.POSITIVE_INFINITY
  for (const length of referenceLengths)
    if (Math.abs(length - c) < Math.abs(r - c) || (Math.abs(length - c) === Math.abs(r - c) && length < r))
      r = length
  if (c === 0) return 0
  return c > r ? 1 : Math.exp(1 - r / c)
}

/**
 * BLEU from clipped match counts per order: geometric mean of p_n = matches_n / hypothesis n-grams with
 * uniform weights, where an order with no match scores epsilon / n-grams instead of 0. No unigram match at
 * all scores 0 (NLTK does the same).
 */
function combine(matches: readonly number[], totals: readonly number[], bp: number): number {
  if ((matches[0] ?? 0) === 0) return 0
  let logSum = 0
  for (let n = 0; n < maxOrder; n++) {
    const total = Math.max(1, totals[n] ?? 0)
    const m = matches[n] ?? 0
    logSum += Math.log((m === 0 ? epsilon : m) / total)
  }
  return bp * Math.exp(logSum / maxOrder)
}

function counts(ids: readonly number[], n: number): Map<number, number> {
  const out = new Map<number, number>()
  for (let i = 0; i < ngramCount(ids.length, n); i++) {
    const key = ngramKey(ids, i, n)
    out.set(key, (out.get(key) ?? 0) + 1)
  }
  return out
}

/** Sentence-level BLEU-4 of one hypothesis against its references (counts clipped by the max over them). */
export function sentenceBleu4(hypothesis: readonly string[], references: TokenTexts): number {
  if (references.length === 0) return 0
  const vocabulary = new Vocabulary()
  const hyp = vocabulary.encode(hypothesis)
  const refs = references.map((r) => vocabulary.encode(r))
  const matches: number[] = []
  const totals: number[] = []
  for (let n = 1; n <= maxOrder; n++) {
    const maxRef = new Map<number, number>()
    for (const ref of refs)
      for (const [key, count] of counts(ref, n)) maxRef.set(key, Math.max(maxRef.get(key) ?? 0, count))
    let m = 0
    for (const [key, count] of counts(hyp, n)) m += Math.min(count, maxRef.get(key) ?? 0)
    matches.push(m)
    totals.push(ngramCount(hyp.length, n))
  }
  return combine(
    matches,
    totals,
    brevityPenalty(
      hyp.length,
      refs.map((r) => r.length),
    ),
  )
}

/** Per n-gram, the two largest counts over the texts and which text holds the largest. */
type Top2 = { top: number; holder: number; second: number }

/**
 * Mean of `sentenceBleu4(text_i, all other texts)`; null with fewer than two texts. Clipping needs the
 * largest count of an n-gram among the *other* texts, which is the top count unless text i holds it, then
 * the runner-up: keeping the top two per n-gram makes this one pass over the n-grams instead of m² BLEU
 * computations. The caller samples the texts (≤ 300 in the report).
 */
export function selfBleu4(texts: TokenTexts): number | null {
  if (texts.length < 2) return null
  const vocabulary = new Vocabulary()
  const encoded = texts.map((t) => vocabulary.encode(t))
  const perOrder: Map<number, number>[][] = []
  const tops: Map<number, Top2>[] = []
  for (let n = 1; n <= maxOrder; n++) {
    const perText = encoded.map((ids) => counts(ids, n))
    const top = new Map<number, Top2>()
    perText.forEach((map, index) => {
      for (const [key, count] of map) {
        const entry = top.get(key)
        if (entry === undefined) top.set(key, { top: count, holder: index, second: 0 })
        else if (count > entry.top) {
          entry.second = entry.top
          entry.top = count
          entry.holder = index
        } else if (count > entry.second) entry.second = count
      }
    })
    perOrder.push(perText)
    tops.push(top)
  }
  const lengths = encoded.map((ids) => ids.length)
  let sum = 0
  for (let i = 0; i < encoded.length; i++) {
    const matches: number[] = []
    const totals: number[] = []
    for (let n = 0; n < maxOrder; n++) {
      let m = 0
      for (const [key, count] of perOrder[n]?.[i] ?? []) {
        const entry = tops[n]?.get(key)
        if (entry === undefined) continue
        m += Math.min(count, entry.holder === i ? entry.second : entry.top)
      }
      matches.push(m)
      totals.push(ngramCount(lengths[i] ?? 0, n + 1))
    }
    const others = lengths.filter((_, j) => j !== i)
    sum += combine(matches, totals, brevityPenalty(lengths[i] ?? 0, others))
  }
  return sum / encoded.length
}
