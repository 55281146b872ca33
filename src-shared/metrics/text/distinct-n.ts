// distinct-n (Li et al. 2016): distinct n-grams over all n-grams. Falls under collapse as the model
// repeats itself; only comparable at a fixed token budget (see budget.ts), since it shrinks as text grows.
import { ngramCount, ngramKey } from './ngram-key'
import { Vocabulary } from './tokenise'
import type { TokenTexts } from './budget'

/** Distinct n-grams / n-grams, n-grams taken within each text only; null when there is no n-gram. */
export function distinctN(texts: TokenTexts, n: number): number | null {
  const vocabulary = new Vocabulary()
  const seen = new Set<number>()
  let total = 0
  for (const tokens of texts) {
    const ids = vocabulary.encode(tokens)
    const count = ngramCount(ids.length, n)
    for (let i = 0; i < count; i++) seen.add(ngramKey(ids, i, n))
    total += count
  }
  return total === 0 ? null : seen.size / total
}
