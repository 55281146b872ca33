// The dashboard's bands from a probe: text metrics by half-samples (every band holds the full figure, the
// same seed gives the same band, more texts give a narrower band), likelihood, confidence and generation-0
// perplexity by the percentile bootstrap from what the probe recorded per text.
import { describe, expect, it } from 'vitest'
import type { ProbeResult } from '@shared/domain/monitor'
import { seededRandom } from '@shared/domain/seeded-random'
import { textMetricReport } from '@shared/metrics/text/report'
import { probeBands, textBands, textFigures } from '@shared/monitor/metric-bands'

const vocabulary = Array.from({ length: 400 }, (_, i) => `word${i}`)
function texts(count: number, seed: number): string[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () =>
    Array.from({ length: 20 }, () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]).join(' '),
  )
}

describe('textBands', () => {
  const reference = texts(120, 1)

  async function bandsFor(samples: string[], budget: number) {
    const full = textMetricReport(samples, reference, { tokenBudget: budget, seed: 4 })
    return { full, bands: await textBands(samples, reference, full, { budget, seed: 4, rounds: 16 }) }
  }

  it('bands every charted text metric, around the full figure, the same each time', async () => {
    const samples = texts(80, 2)
    const { full, bands } = await bandsFor(samples, 1200)
    for (const [key, value] of Object.entries(textFigures(full))) {
      if (value === null || value === undefined) continue
      const band = bands[key]
      expect(band, key).toBeDefined()
      expect(band!.low).toBeLessThanOrEqual(value + 1e-12)
      expect(band!.high).toBeGreaterThanOrEqual(value - 1e-12)
    }
    expect((await bandsFor(samples, 1200)).bands).toEqual(bands)
  })

  it('narrows with four times the texts (at four times the budget)', async () => {
    const width = (b: { low: number; high: number }) => b.high - b.low
    const small = await bandsFor(texts(40, 3), 600)
    const large = await bandsFor(texts(160, 3), 2400)
    for (const key of ['distinct.n2', 'tailRecall.types', 'unigramJsd', 'selfBleu4'])
      expect(width(large.bands[key]!), key).toBeLessThan(width(small.bands[key]!))
  })
})

describe('probeBands', () => {
  const probe = {
    heldOut: {
      perplexity: 10,
      forgottenShare: 0.05,
      references: Array.from({ length: 20 }, (_, i) => ({
        sampleId: `r${i}`,
        tokens: 20 + i,
        nll: (20 + i) * Math.log(8 + (i % 5)),
        forgotten: i % 3,
      })),
    },
    confidenceParts: Array.from({ length: 12 }, (_, i) => ({
      positions: 10,
      entropySum: 10 + i,
      leftoverSum: 1,
      topOneSum: 5 + i * 0.2,
      certain: i % 4,
      tokens: 10,
      negLogprobSum: 12 + i,
    })),
    baselineScored: {
      samples: 12,
      median: 5,
      p95: 9,
      perplexities: Array.from({ length: 12 }, (_, i) => 3 + i * 0.5),
    },
  } as unknown as ProbeResult

  it('bands likelihood, confidence and generation-0 perplexity, deterministically', () => {
    const bands = probeBands(probe, 1)
    expect(Object.keys(bands).sort()).toEqual([
      'baselineScored.median',
      'baselineScored.p95',
      'confidence.certainShare',
      'confidence.meanTopOneProbability',
      'confidence.meanTruncatedEntropy',
      'confidence.selfPerplexity',
      'heldOut.forgottenShare',
      'heldOut.perplexity',
    ])
    for (const band of Object.values(bands)) expect(band.low).toBeLessThan(band.high)
    // Pooled entropy is 1 + (0..11)/10 averaged: 1.55, and its band is around it.
    expect(bands['confidence.meanTruncatedEntropy']!.low).toBeLessThan(1.55)
    expect(bands['confidence.meanTruncatedEntropy']!.high).toBeGreaterThan(1.55)
    expect(probeBands(probe, 1)).toEqual(bands)
  })

  it('gives no band where an older probe has no per-text records', () => {
    const old = {
      ...probe,
      confidenceParts: [],
      baselineScored: { ...probe.baselineScored!, perplexities: [] },
    }
    expect(Object.keys(probeBands(old, 1)).sort()).toEqual(['heldOut.forgottenShare', 'heldOut.perplexity'])
  })
})
