// The alarm thresholds, each a change against generation 0 (same token budget), calibrated on the bigram
// simulation in test/integration/collapse-simulation.test.ts (1,000 texts of ~20 words a generation) and
// checked against the "Expected behaviour" table of COLLAPSE.md. Figures quoted are generation 0 → 3 / → 6.
import type { Rule } from './signal'

// ---- tails ----

/**
 * Tail recall of the reference's rare types. COLLAPSE.md: replace −45 %, replace-10 %-real −25 %, accumulate
 * −10 % after 10 generations. Simulation: replace −35 % by generation 3, accumulate at worst −10 %. Alarm at
 * −25 % is where replace-10 %-real ends and replace passes in two or three generations; watch at −10 % is
 * where accumulate ends, so accumulate may say watch but never alarm.
 */
export const TAIL_RECALL_TYPES: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.25 }

/** Rare bigrams fall like rare types (simulation: replace −26 % by generation 3, accumulate −4 %). */
export const TAIL_RECALL_BIGRAMS: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.25 }

/**
 * Unigram JSD to the reference. Generation 0 is not 0 (finite samples), so the rise is relative. Simulation:
 * replace +54 % by generation 3, replace-10 %-real +73 % by 6, accumulate at worst +12 %.
 */
export const UNIGRAM_JSD: Rule = { direction: 'rise', scale: 'relative', watch: 0.25, alarm: 0.5 }

/**
 * KS distance of text lengths, an absolute rise: the simulation keeps lengths within ±0.04 of generation 0 in
 * every regime, and the KS critical value for two sets of ~1,000 texts is ≈ 0.06 (α = 0.05). +0.1 is beyond
 * that noise; +0.2 means a fifth of the length distribution has moved.
 */
export const LENGTH_KS: Rule = { direction: 'rise', scale: 'absolute', watch: 0.1, alarm: 0.2 }

// ---- mode concentration ----

/**
 * distinct-2 at the budget. COLLAPSE.md: replace −38 %, replace-10 %-real −22 %, accumulate −4 %. Simulation:
 * replace −27 % by generation 3, accumulate at worst −3 %. Alarm at −20 % sits between accumulate and both
 * replace regimes; watch at −10 % is far above accumulate's noise.
 */
export const DISTINCT_2: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.2 }

/** gzip ratio moves little (simulation: replace +5 % by generation 3, replace-10 %-real +4 % at 2, accumulate +0.6 %). */
export const COMPRESSION_RATIO: Rule = { direction: 'rise', scale: 'relative', watch: 0.025, alarm: 0.05 }

/** Self-BLEU-4 is noisy (300 texts): simulation replace +45 % by generation 3, accumulate at worst +8 %. */
export const SELF_BLEU_4: Rule = { direction: 'rise', scale: 'relative', watch: 0.2, alarm: 0.4 }

/**
 * Share of texts sharing a 4-gram with another, absolute (its baseline can be 0 in real text). Simulation:
 * replace +0.22 by generation 3, replace-10 %-real +0.23, accumulate at worst +0.08.
 */
export const SHARED_FOUR_GRAM: Rule = { direction: 'rise', scale: 'absolute', watch: 0.1, alarm: 0.2 }

/**
 * Exact and near-duplicate rates, absolute. Honest T = 1 sampling of varied prompts gives ≈ 0 (0 in every
 * simulated generation); 1 text in 20 repeated is the curation-by-preference row of COLLAPSE.md beginning.
 */
export const DUPLICATE_RATE: Rule = { direction: 'rise', scale: 'absolute', watch: 0.02, alarm: 0.05 }

/**
 * Confidence from logprobs (not in the text-only simulation, so not calibrated there): truncated entropy
 * and self-perplexity fall, top-1 probability and the near-certain share rise as the model sharpens. The
 * same 10 % / 25 % as tail recall, the early detector they accompany.
 */
export const TRUNCATED_ENTROPY: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.25 }
export const SELF_PERPLEXITY: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.25 }
export const TOP_ONE_PROBABILITY: Rule = { direction: 'rise', scale: 'relative', watch: 0.1, alarm: 0.25 }
/** An absolute share: +0.05 / +0.15 of positions newly above p₁ = 0.9. */
export const CERTAIN_SHARE: Rule = { direction: 'rise', scale: 'absolute', watch: 0.05, alarm: 0.15 }

// ---- errors ----

/**
 * Held-out perplexity of the reference over generation 0's. COLLAPSE.md after 10 generations: replace +230 %,
 * replace-10 %-real +80 %, accumulate +28 %; Shumailov et al. report +60–80 % for replace. Simulation: replace
 * ×1.36 by generation 3, replace-10 %-real ×1.40 by 6, accumulate ×1.03. Alarm at ×1.3 catches both replace
 * regimes and leaves accumulate (+28 % after 10) at watch; watch at ×1.1.
 */
export const PERPLEXITY_RATIO: Rule = { direction: 'rise', scale: 'relative', watch: 0.1, alarm: 0.3 }

/**
 * Share of reference tokens with log p < −10, absolute. In the smoothed simulation it sits at ≈ 0.17 and moves
 * by under 0.01 in every regime, so +0.01 is beyond that noise and +0.03 means 3 % of human tokens newly
 * unpredictable; a real model fine-tuned on its own output moves far more (COLLAPSE.md, real-model check).
 */
export const FORGOTTEN_SHARE: Rule = { direction: 'rise', scale: 'absolute', watch: 0.01, alarm: 0.03 }

// ---- data mix (from provenance, one training snapshot per generation) ----

/**
 * Share of the original human data still in the training set. Losing it is the replace regime (COLLAPSE.md:
 * "0 means the replace regime: alarm"); any loss is watch, losing a tenth or more is alarm — the
 * replace-10 %-real regime keeps about a tenth, and still loses a quarter of its tail.
 */
export const REAL_DATA_RETAINED: Rule = { direction: 'drop', scale: 'absolute', watch: 1e-9, alarm: 0.1 }

/**
 * Real fraction ρ by tokens, relative to generation 0's. Accumulate lets ρ fall (1/7 after 6 generations of
 * equal size) and stays bounded (Gerstgrasser et al.), so ρ alone is never an alarm: watch once it has fallen
 * by 90 %, where the 10 %-real regime lives. The alarm threshold > 1 cannot be met by a drop.
 */
export const REAL_FRACTION: Rule = { direction: 'drop', scale: 'relative', watch: 0.9, alarm: Infinity }

/**
 * Token mass at synthetic depth ≥ 2, absolute (0 at generation 0). Under replace it reaches 1 from generation
 * 2; under accumulate it also grows (5/7 after 6), so it only says watch, from half the training set.
 */
export const DEPTH_2_PLUS_MASS: Rule = { direction: 'rise', scale: 'absolute', watch: 0.5, alarm: Infinity }
