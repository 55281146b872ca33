// Exact and near-duplicate rates over the whole sample: the share of texts that repeat (exactly, or at
// estimated Jaccard ≥ threshold on word shingles) a text seen before them. Both rise under collapse.
// Near duplicates reuse the export's MinHash + LSH banding, so no pair of texts is compared blindly.
import { hash32 } from '../../export/selection/hash'
import { bandKeys, bandsFor, estimatedJaccard, signature } from '../../export/selection/minhash'

/**
 * NFC, whitespace runs collapsed to one space, trimmed: the export's dedup normalisation, restated here so
 * the metrics do not follow that module's refactors.
 */
export const normaliseText = (text: string): string => text.normalize('NFC').replace(/\s+/gu, ' ').trim()

/** Share of texts whose normalised text (NFC, whitespace collapsed) equals an earlier one's. */
export function exactDuplicateRate(texts: readonly string[]): number | null {
  if (texts.length === 0) return null
  return (texts.length - new Set(texts.map(normaliseText)).size) / texts.length
}

export interface NearDuplicateOptions {
  threshold: number
  /** Words per shingle. */
  shingle: number
  numPerm: number
  seed: number
}

export const defaultNearDuplicate: NearDuplicateOptions = { threshold: 0.8, shingle: 5, numPerm: 64, seed: 0 }

/** Shingle hashes the way minhash.ts's `shingleHashes` makes them, from tokens already at hand. */
function shingles(tokens: readonly string[], size: number, seed: number): Uint32Array {
  const hashes = new Set<number>()
  const last = Math.max(0, tokens.length - size)
  for (let i = 0; i <= last && tokens.length > 0; i++)
    hashes.add(hash32(tokens.slice(i, i + size).join('\u0001'), seed))
  return Uint32Array.from(hashes)
}

/**
 * Share of texts that are exact or near copies of a text kept before them (so ≥ the exact rate): the
 * share a MinHash dedup would drop. Texts are visited in seeded-hash order of their tokens, so the result
 * does not depend on input order (which text of a cluster is "first" changes what chains join it).
 */
export function nearDuplicateRate(
  tokenTexts: readonly (readonly string[])[],
  options: NearDuplicateOptions = defaultNearDuplicate,
): number | null {
  if (tokenTexts.length === 0) return null
  const { bands, rows } = bandsFor(options.numPerm, options.threshold)
  const order = tokenTexts
    .map((tokens) => {
      const key = tokens.join('\u0001')
      return { tokens, key, hash: hash32(key, options.seed) }
    })
    .sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const buckets = new Map<string, number[]>()
  const kept: Uint32Array[] = []
  let duplicates = 0
  let previousKey: string | null = null
  for (const { tokens, key } of order) {
    // An exact copy sorts next to its original: no signature needed.
    if (key === previousKey) {
      duplicates++
      continue
    }
    previousKey = key
    const sig = signature(shingles(tokens, options.shingle, options.seed), options.numPerm, options.seed)
    const keys = bandKeys(sig, bands, rows)
    const candidates = new Set<number>()
    for (const k of keys) for (const index of buckets.get(k) ?? []) candidates.add(index)
    let isDuplicate = false
    for (const index of candidates) {
      const other = kept[index]
      if (other !== undefined && estimatedJaccard(sig, other) >= options.threshold) {
        isDuplicate = true
        break
      }
    }
    if (isDuplicate) {
      duplicates++
      continue
    }
    const index = kept.push(sig) - 1
    for (const k of keys) {
      const bucket = buckets.get(k)
      if (bucket === undefined) buckets.set(k, [index])
      else bucket.push(index)
    }
  }
  return duplicates / tokenTexts.length
}
