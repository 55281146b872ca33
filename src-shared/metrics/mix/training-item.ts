// The input of the data-mix metrics: one item of a training snapshot with its provenance. Origin and depth
// are the sample's (see domain/sample.ts); edit distance and temperature come from its review and generation.
import type { Origin } from '../../domain/sample'
import { words } from '../human/word-edit-distance'

export interface TrainingItem {
  /** The sample id; matched against the original human data to tell whether it was kept. */
  id: string
  origin: Origin
  /** Synthetic depth: 0 human-written, 1 written by a model trained on human data only, …; null unknown. */
  depth: number | null
  text: string
  /** Normalised word edit distance from the model's candidate to this text; null when not edited. */
  editDistance: number | null
  /** Sampling temperature the text was generated at; null for human text or when not recorded. */
  temperature: number | null
}

/** How a snapshot's size is measured; the default counts whitespace-separated words. */
export type TokenCounter = (text: string) => number

export const countWords: TokenCounter = (text) => words(text).length

/** Only human-origin text is real data; unknown origin cannot be vouched for, so it is not counted as real. */
export const isReal = (item: TrainingItem): boolean => item.origin === 'human'
