// Share of texts that share a long n-gram (≥ 4 tokens) with another text: a copied phrase or template
// spreading through the set. Rises under collapse. Any shared longer n-gram contains a shared 4-gram, so
// checking 4-grams answers "≥ 4".
import { ngramCount, ngramKey } from './ngram-key'
import { Vocabulary } from './tokenise'
import type { TokenTexts } from './budget'

/**
 * One pass with a map from n-gram to the first text that had it — linear in tokens, no pairwise
 * comparison. A text repeating its own n-gram does not count; texts with no n-gram stay in the
 * denominator (they share nothing). Null for no texts.
 */
export function sharedNgramRate(texts: TokenTexts, n = 4): number | null {
  if (texts.length === 0) return null
  const vocabulary = new Vocabulary()
  const firstText = new Map<number, number>()
  const isShared = new Uint8Array(texts.length)
  texts.forEach((tokens, index) => {
    const ids = vocabulary.encode(tokens)
    for (let i = 0; i < ngramCount(ids.length, n); i++) {
      const key = ngramKey(ids, i, n)
      const first = firstText.get(key)
      if (first === undefined) firstText.set(key, index)
      else if (first !== index) {
        isShared[index] = 1
        isShared[first] = 1
      }
    }
  })
  return isShared.reduce((sum, flag) => sum + flag, 0) / texts.length
}
