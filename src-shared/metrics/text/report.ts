// The text-only collapse report for one generation's samples S against the human reference R: every
// lexical metric in COLLAPSE.md as one plain JSON-able object. Linear in the number of samples: only
// tokenising, lengths and duplicate detection see every text; the rest work on a fixed token budget or a
// fixed-size sample (self-BLEU), so a generation of 100,000 texts costs about ten times one of 10,000.
import { distinctInSeededOrder, takeTokenBudget } from './budget'
import { compressionRatio } from './compression'
import { distinctN } from './distinct-n'
import { unigramEntropy, unigramJsd } from './divergence'
import { defaultNearDuplicate, exactDuplicateRate, nearDuplicateRate } from './duplicates'
import type { NearDuplicateOptions } from './duplicates'
import { ksDistance, wasserstein1 } from './length-drift'
import { mattr } from './mattr'
import { selfBleu4 } from './self-bleu'
import { sharedNgramRate } from './shared-ngram'
import { tailRecall } from './tail-recall'
import { tokenise } from './tokenise'

export interface TextMetricOptions {
  /** Seed of every deterministic order and sample (default 0). Keep it fixed across generations. */
  seed?: number
  /**
   * Tokens per side for the budgeted metrics. Default: the smaller of S's and R's distinct-text token
   * totals. Pass the same figure for every generation you compare.
   */
  tokenBudget?: number
  /** Bytes for the compression ratio (default 100,000). */
  byteBudget?: number
  /** Texts sampled for self-BLEU-4 (default and maximum 300). */
  selfBleuTexts?: number
  /** MATTR window in tokens (default 50). */
  mattrWindow?: number
  nearDuplicate?: Partial<Omit<NearDuplicateOptions, 'seed'>>
  /** Skip the near-duplicate pass (nearDuplicateRate null): the bootstrap rounds, which do not chart it. */
  skipNearDuplicates?: boolean
}

export interface TextMetricReport {
  samples: number
  referenceTexts: number
  seed: number
  tokenBudget: number
  /** Tokens actually taken per side; below the budget when a side is too small (then isBudgetMet false). */
  tokensUsed: { samples: number; reference: number }
  isBudgetMet: boolean
  /** distinct-n at the token budget, n = 1..4 (↓ under collapse). */
  distinct: { n1: number | null; n2: number | null; n3: number | null; n4: number | null }
  /** gzip ratio at `compressionBytes` bytes (↑). */
  compressionRatio: number | null
  compressionBytes: number
  /** Self-BLEU-4 over `selfBleuTexts` sampled texts (↑). */
  selfBleu4: number | null
  selfBleuTexts: number
  /** Share of budgeted texts sharing a 4-gram with another (↑). */
  sharedFourGramRate: number | null
  /** Share of R's rare types / bigrams (count ≤ 2 at the budget) found in S at the budget (↓). */
  tailRecall: { types: number | null; bigrams: number | null; rareTypes: number; rareBigrams: number }
  /** Unigram JSD to R in bits, in [0, 1] (↑). */
  unigramJsd: number | null
  /** Text length in tokens, all texts: W1 in tokens and KS distance (↑). */
  lengthDrift: {
    wasserstein1: number | null
    ks: number | null
    meanSamples: number | null
    meanReference: number | null
  }
  /** Over all samples (↑). */
  exactDuplicateRate: number | null
  nearDuplicateRate: number | null
  /** Late movers: shown, not alarmed on alone. */
  mattr: number | null
  unigramEntropyBits: number | null
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length

const totalTokens = (texts: readonly (readonly string[])[]): number => texts.reduce((a, t) => a + t.length, 0)

export function textMetricReport(
  samples: readonly string[],
  reference: readonly string[],
  options: TextMetricOptions = {},
): TextMetricReport {
  const seed = options.seed ?? 0
  const sTokens = samples.map(tokenise)
  const rTokens = reference.map(tokenise)
  const sOrdered = distinctInSeededOrder(sTokens, seed)
  const rOrdered = distinctInSeededOrder(rTokens, seed)
  const tokenBudget =
    options.tokenBudget ??
    (rOrdered.length === 0 ? totalTokens(sOrdered) : Math.min(totalTokens(sOrdered), totalTokens(rOrdered)))
  const s = takeTokenBudget(sOrdered, tokenBudget)
  const r = takeTokenBudget(rOrdered, tokenBudget)
  const bleuCount = Math.min(300, Math.max(2, options.selfBleuTexts ?? 300))
  const bleuSample = sOrdered.slice(0, bleuCount)
  const compression = compressionRatio(samples, options.byteBudget ?? 100_000, seed)
  const types = tailRecall(s.texts, r.texts, 1)
  const bigrams = tailRecall(s.texts, r.texts, 2)
  const sLengths = sTokens.map((t) => t.length)
  const rLengths = rTokens.map((t) => t.length)
  return {
    samples: samples.length,
    referenceTexts: reference.length,
    seed,
    tokenBudget,
    tokensUsed: { samples: s.tokens, reference: r.tokens },
    isBudgetMet: s.isBudgetMet && (reference.length === 0 || r.isBudgetMet),
    distinct: {
      n1: distinctN(s.texts, 1),
      n2: distinctN(s.texts, 2),
      n3: distinctN(s.texts, 3),
      n4: distinctN(s.texts, 4),
    },
    compressionRatio: compression.ratio,
    compressionBytes: compression.bytes,
    selfBleu4: selfBleu4(bleuSample),
    selfBleuTexts: bleuSample.length,
    sharedFourGramRate: sharedNgramRate(s.texts, 4),
    tailRecall: {
      types: types.recall,
      bigrams: bigrams.recall,
      rareTypes: types.rare,
      rareBigrams: bigrams.rare,
    },
    unigramJsd: unigramJsd(s.texts, r.texts),
    lengthDrift: {
      wasserstein1: wasserstein1(sLengths, rLengths),
      ks: ksDistance(sLengths, rLengths),
      meanSamples: mean(sLengths),
      meanReference: mean(rLengths),
    },
    exactDuplicateRate: exactDuplicateRate(samples),
    nearDuplicateRate: options.skipNearDuplicates
      ? null
      : nearDuplicateRate(sTokens, {
          ...defaultNearDuplicate,
          ...options.nearDuplicate,
          seed,
        }),
    mattr: mattr(s.texts.flat(), options.mattrWindow ?? 50),
    unigramEntropyBits: unigramEntropy(s.texts),
  }
}
