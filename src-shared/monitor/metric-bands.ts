// The dashboard's 90 % bands, one per charted metric, keyed like the series (report-series.ts). Cheap ones
// come with the report (likelihood over reference texts, confidence and generation-0 perplexity over the
// continuations: percentile bootstrap, 400 rounds); the text metrics' half-sample bands cost one text report
// per round, so they are bounded (TEXT_BAND_ROUNDS) and computed apart, yielding between rounds.
import type { ProbeResult } from '../domain/monitor'
import type { Band } from '../metrics/bootstrap/bands'
import { bootstrapBands, halfSamples, deviationBand, type Figures } from '../metrics/bootstrap/bands'
import { poolConfidence } from '../metrics/confidence/confidence-summary'
import { bootstrapPerplexity } from '../metrics/likelihood/bootstrap-perplexity'
import { quantile } from '../metrics/likelihood/quantile'
import type { TextMetricReport } from '../metrics/text/report'
import { textMetricReport } from '../metrics/text/report'

export const BOOTSTRAP_ROUNDS = 400
/** Half-samples per generation for the text metrics: about 0.1–0.5 s each on a laptop for 400 probe texts. */
export const TEXT_BAND_ROUNDS = 24

/** The text metrics the dashboard charts (or the alarms read), by series key. */
export function textFigures(m: TextMetricReport): Figures {
  return {
    'distinct.n1': m.distinct.n1,
    'distinct.n2': m.distinct.n2,
    'distinct.n4': m.distinct.n4,
    'tailRecall.types': m.tailRecall.types,
    'tailRecall.bigrams': m.tailRecall.bigrams,
    unigramJsd: m.unigramJsd,
    'lengthDrift.ks': m.lengthDrift.ks,
    compressionRatio: m.compressionRatio,
    selfBleu4: m.selfBleu4,
    sharedFourGramRate: m.sharedFourGramRate,
    exactDuplicateRate: m.exactDuplicateRate,
    mattr: m.mattr,
    unigramEntropyBits: m.unigramEntropyBits,
  }
}

/** Bands that come from the probe's own per-text records: cheap enough to compute with every report. */
export function probeBands(probe: ProbeResult, seed: number): Record<string, Band> {
  const options = { rounds: BOOTSTRAP_ROUNDS, seed }
  const bands: Record<string, Band> = {}
  if (probe.heldOut !== null) {
    const perplexity = bootstrapPerplexity(probe.heldOut.references, seed, BOOTSTRAP_ROUNDS)
    if (perplexity !== null) bands['heldOut.perplexity'] = perplexity
    Object.assign(
      bands,
      bootstrapBands(
        probe.heldOut.references.filter((r) => r.tokens > 0),
        (rs) => {
          const tokens = rs.reduce((sum, r) => sum + r.tokens, 0)
          return {
            'heldOut.forgottenShare': tokens === 0 ? null : rs.reduce((s, r) => s + r.forgotten, 0) / tokens,
          }
        },
        options,
      ),
    )
  }
  Object.assign(
    bands,
    bootstrapBands(
      probe.confidenceParts,
      (parts) => {
        const c = poolConfidence(parts)
        return {
          'confidence.meanTruncatedEntropy': c?.meanTruncatedEntropy,
          'confidence.meanTopOneProbability': c?.meanTopOneProbability,
          'confidence.certainShare': c?.certainShare,
          'confidence.selfPerplexity': c?.selfPerplexity,
        }
      },
      options,
    ),
  )
  Object.assign(
    bands,
    bootstrapBands(
      probe.baselineScored?.perplexities ?? [],
      (values) => ({
        'baselineScored.median': quantile(values, 0.5),
        'baselineScored.p95': quantile(values, 0.95),
      }),
      options,
    ),
  )
  return bands
}

/**
 * Half-sample bands of the text metrics: each round takes half the continuations (none repeated) at half the
 * token budget against the same reference, and only the spread of the rounds is kept (bands.ts). `pause` runs
 * between rounds, so a caller on a busy thread can yield.
 */
export async function textBands(
  texts: readonly string[],
  reference: readonly string[],
  full: TextMetricReport,
  options: { budget: number; seed: number; rounds?: number; pause?: () => Promise<void> },
): Promise<Record<string, Band>> {
  const rounds: Figures[] = []
  const halfBudget = Math.max(1, Math.floor(options.budget / 2))
  for (const indices of halfSamples(texts.length, options.rounds ?? TEXT_BAND_ROUNDS, options.seed)) {
    const half = indices.map((i) => texts[i]!)
    rounds.push(
      textFigures(
        textMetricReport(half, reference, {
          tokenBudget: halfBudget,
          seed: options.seed,
          skipNearDuplicates: true,
        }),
      ),
    )
    await options.pause?.()
  }
  const bands: Record<string, Band> = {}
  for (const [key, value] of Object.entries(textFigures(full))) {
    if (value === null || value === undefined || !Number.isFinite(value)) continue
    const band = deviationBand(
      value,
      rounds
        .map((r) => r[key])
        .filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v)),
    )
    if (band !== null) bands[key] = band
  }
  return bands
}
