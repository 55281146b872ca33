// Curation squeeze: the diversity of what reviewers kept over the diversity of what they were shown. Below
// 1 every generation compounds, since the next model learns only from the narrower kept set.
import { keptText } from './reviewed-sample'
import type { ReviewedSample } from './reviewed-sample'

/** Any set-diversity measure on texts (distinct-n, Vendi of their embeddings, …); higher is more diverse. */
export type TextDiversity = (texts: readonly string[]) => number

/**
 * diversity(kept texts, after edits: what enters training) / diversity(every presented candidate). Null when
 * nothing was accepted or the presented diversity is zero or not finite (the ratio would mean nothing).
 */
export function curationSqueeze(samples: readonly ReviewedSample[], diversity: TextDiversity): number | null {
  const kept = samples.map(keptText).filter((text): text is string => text !== null)
  if (kept.length === 0) return null
  const presented = diversity(samples.flatMap((sample) => sample.presented))
  if (!(presented > 0) || !Number.isFinite(presented)) return null
  return diversity(kept) / presented
}
