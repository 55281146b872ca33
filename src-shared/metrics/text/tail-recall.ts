// Tail recall: of the reference's rare types (or bigrams) — count ≤ 2 at the budget — the share that the
// samples still use. The tails go first under collapse (Shumailov et al. 2024; Dohmatob et al.), so this
// falls early. Both sides should be cut to the same token budget first (see budget.ts).
import { ngramCount, ngramKey } from './ngram-key'
import { Vocabulary } from './tokenise'
import type { TokenTexts } from './budget'

export interface TailRecall {
  /** Null when the reference has no rare n-gram. */
  recall: number | null
  /** How many rare n-grams the reference has. */
  rare: number
}

/** n = 1 for types, 2 for bigrams; n-grams within texts only. */
export function tailRecall(samples: TokenTexts, reference: TokenTexts, n: number, maxCount = 2): TailRecall {
  const vocabulary = new Vocabulary()
  const referenceCounts = new Map<number, number>()
  for (const tokens of reference) {
    const ids = vocabulary.encode(tokens)
    for (let i = 0; i < ngramCount(ids.length, n); i++) {
      const key = ngramKey(ids, i, n)
      referenceCounts.set(key, (referenceCounts.get(key) ?? 0) + 1)
    }
  }
  const rare = new Set<number>()
  for (const [key, count] of referenceCounts) if (count <= maxCount) rare.add(key)
  const found = new Set<number>()
  for (const tokens of samples) {
    const ids = vocabulary.encode(tokens)
    for (let i = 0; i < ngramCount(ids.length, n); i++) {
      const key = ngramKey(ids, i, n)
      if (rare.has(key)) found.add(key)
    }
  }
  return { recall: rare.size === 0 ? null : found.size / rare.size, rare: rare.size }
}
