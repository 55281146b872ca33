// gzip compression ratio (Shaib et al. 2024, "Standardizing the measurement of text diversity"): raw bytes
// over gzipped bytes of the texts joined by newlines. Rises under collapse, as repeated phrasing compresses.
import { gzipSync, strToU8 } from 'fflate'
import { hash32 } from '../../export/selection/hash'
import { normaliseText } from './duplicates'

export interface CompressionResult {
  ratio: number | null
  /** Bytes compressed: the budget, or fewer when the texts are shorter. */
  bytes: number
}

/**
 * Distinct normalised texts in seeded-hash order (so the figure does not depend on input order or on
 * exact copies, which the duplicate rates count), joined by '\n' as UTF-8 and cut at `byteBudget` bytes:
 * gzip's ratio creeps up with input length, so generations are compared on the same number of bytes.
 */
export function compressionRatio(
  texts: readonly string[],
  byteBudget: number,
  seed: number,
): CompressionResult {
  const distinct = [...new Set(texts.map(normaliseText).filter((t) => t.length > 0))]
    .map((text) => ({ text, hash: hash32(text, seed) }))
    .sort((a, b) => a.hash - b.hash || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  // Join only as many texts as can fill the budget: a 100,000-text sample is not copied whole.
  const parts: string[] = []
  let length = 0
  for (const { text } of distinct) {
    if (length >= byteBudget) break
    parts.push(text)
    // UTF-16 units never outnumber UTF-8 bytes, so stopping on this count never leaves the budget short.
    length += text.length + 1
  }
  const bytes = strToU8(parts.join('\n')).subarray(0, byteBudget)
  if (bytes.length === 0) return { ratio: null, bytes: 0 }
  // Level 6 and mtime 0: what `gzip` does by default, and the same bytes on every run.
  const packed = gzipSync(bytes, { level: 6, mtime: 0 })
  return { ratio: bytes.length / packed.length, bytes: bytes.length }
}
