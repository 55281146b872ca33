// Per-token confidence for the Review screen's heat map: each generated token's probability placed on the
// character range it covers in the candidate text, a band for its colour, and the share of unsure tokens
// that orders a "low-confidence first" queue. Reads the `tokens` and `logprobs` columns of CompactLogprobs.

export interface ConfidenceSpan {
  /** Position of the token in the logprob columns, to look up its alternatives in `topTokens`. */
  index: number
  start: number
  end: number
  probability: number
  token: string
}

export interface TokenColumns {
  tokens: readonly string[]
  logprobs: readonly number[]
}

export type ConfidenceBand = 'high' | 'medium' | 'low' | 'very-low'

/** Lower bounds, inclusive: a probability of exactly 0.9 is high; anything below 0.2 is very low. */
export const confidenceBandFloors = { high: 0.9, medium: 0.5, low: 0.2 } as const

/**
 * Maps each token to its `[start, end)` range in `text`. Tokens normally concatenate to the text; when
 * they do not (a think block removed, the text cut at a stop string, a character split across byte-level
 * tokens) the alignment runs from the left and stops at the first token that does not match, returning
 * the spans found so far. Empty tokens cover nothing and get no span. Never throws.
 */
export function confidenceSpans(text: string, columns: TokenColumns): ConfidenceSpan[] {
  const spans: ConfidenceSpan[] = []
  const count = Math.min(columns.tokens.length, columns.logprobs.length)
  let cursor = 0
  for (let index = 0; index < count; index++) {
    const token = columns.tokens[index] ?? ''
    if (!text.startsWith(token, cursor)) break
    if (token === '') continue
    const start = cursor
    cursor += token.length
    spans.push({ index, start, end: cursor, probability: probabilityOf(columns.logprobs[index]), token })
  }
  return spans
}

export function confidenceBand(probability: number): ConfidenceBand {
  if (probability >= confidenceBandFloors.high) return 'high'
  if (probability >= confidenceBandFloors.medium) return 'medium'
  if (probability >= confidenceBandFloors.low) return 'low'
  return 'very-low'
}

/** Fraction of tokens whose probability is below `threshold`; 0 for a candidate without tokens. */
export function lowConfidenceShare(columns: Pick<TokenColumns, 'logprobs'>, threshold = 0.2): number {
  if (columns.logprobs.length === 0) return 0
  const low = columns.logprobs.filter((logprob) => probabilityOf(logprob) < threshold).length
  return low / columns.logprobs.length
}

/**
 * exp(logprob), clamped to [0, 1] because engines round a certain token's logprob to a tiny positive
 * number. A missing or unreadable logprob counts as 0, so it is shown as unsure rather than hidden.
 */
function probabilityOf(logprob: number | undefined): number {
  if (logprob === undefined || Number.isNaN(logprob)) return 0
  return Math.min(1, Math.max(0, Math.exp(logprob)))
}
