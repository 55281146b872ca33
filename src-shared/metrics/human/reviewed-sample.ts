// The input of the human-review signals: what one reviewer saw and did for one input of a generation. The
// review screens' decision events map onto it; the signals need nothing else.

export interface ReviewedSample {
  /** Candidate texts in the order they were shown; index 0 is the first (top) position. */
  presented: readonly string[]
  /** Index into `presented` of the accepted candidate; null when none was accepted (rejected or skipped). */
  chosenIndex: number | null
  /** The kept text after the reviewer's edits; null means kept exactly as shown (or nothing accepted). */
  finalText: string | null
  /** Reasons of the flags raised on this sample; a reason listed twice counts once. */
  flags: readonly string[]
  /** Mean per-token logprob of the chosen candidate under the model that wrote it; null when not recorded. */
  chosenMeanLogprob: number | null
}

/** The accepted candidate as shown, or null; throws on an index outside `presented` (a corrupt event). */
export function chosenText(sample: ReviewedSample): string | null {
  if (sample.chosenIndex === null) return null
  const text = sample.presented[sample.chosenIndex]
  if (text === undefined) {
    throw new RangeError(`chosen index ${sample.chosenIndex} outside ${sample.presented.length} candidates`)
  }
  return text
}

/** The text that enters training: the edit if there was one, else the chosen candidate; null if none. */
export function keptText(sample: ReviewedSample): string | null {
  const chosen = chosenText(sample)
  return chosen === null ? null : (sample.finalText ?? chosen)
}
