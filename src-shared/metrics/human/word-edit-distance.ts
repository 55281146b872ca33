// Word-level edit distance between a candidate and the reviewer's final text, normalised to [0, 1]: how much
// the human rewrote. fastest-levenshtein works on UTF-16 code units, so each distinct word becomes one unit.
import { distance } from 'fastest-levenshtein'

/** Whitespace-separated words; punctuation stays attached, so "cat." → "cat!" is one substitution. */
export function words(text: string): string[] {
  return text.split(/\s+/u).filter((word) => word.length > 0)
}

const surrogateStart = 0xd800
const surrogateCount = 0x800
const distinctWordLimit = 0x10000 - surrogateCount

/**
 * Levenshtein distance over word sequences divided by the longer sequence's length: 0 for identical word
 * sequences (whitespace changes are not edits), 1 when nothing is shared. 0 when both texts are empty.
 */
export function normalisedWordEditDistance(before: string, after: string): number {
  const a = words(before)
  const b = words(after)
  const longer = Math.max(a.length, b.length)
  if (longer === 0) return 0
  const codes = new Map<string, string>()
  const encode = (sequence: readonly string[]) =>
    sequence
      .map((word) => {
        let code = codes.get(word)
        if (code === undefined) {
          if (codes.size >= distinctWordLimit) throw new RangeError('too many distinct words to compare')
          // Skip the surrogate range: a lone surrogate would be paired with its neighbour by the comparison.
          const unit = codes.size < surrogateStart ? codes.size : codes.size + surrogateCount
          code = String.fromCharCode(unit)
          codes.set(word, code)
        }
        return code
      })
      .join('')
  return distance(encode(a), encode(b)) / longer
}
