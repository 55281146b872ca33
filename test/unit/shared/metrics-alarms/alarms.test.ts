// Alarm rules: a crafted four-generation sequence with every family and its expected states and sentences
// (golden), the threshold edges, MATTR and entropy never alarming alone; then properties — a generation equal
// to generation 0 is healthy everywhere, relative rules ignore a common scale, and a worse metric never
// gives a better state.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { assessGenerations } from '@shared/metrics/alarms/assess'
import type { GenerationMetrics } from '@shared/metrics/alarms/generation-metrics'
import { gradeSignal } from '@shared/metrics/alarms/signal'
import type { FamilyState, Rule } from '@shared/metrics/alarms/signal'
import type { ConfidenceSummary } from '@shared/metrics/confidence/confidence-summary'
import { summarizeDataMix } from '@shared/metrics/mix/data-mix'
import type { TrainingItem } from '@shared/metrics/mix/training-item'
import type { TextMetricReport } from '@shared/metrics/text/report'

interface TextFigures {
  tailTypes: number
  tailBigrams: number
  jsd: number
  ks: number
  distinct2: number
  compression: number
  selfBleu: number
  shared4: number
  exactDup: number
  nearDup: number
  mattr: number
  entropy: number
}

const baseFigures: TextFigures = {
  tailTypes: 0.6,
  tailBigrams: 0.2,
  jsd: 0.05,
  ks: 0.05,
  distinct2: 0.4,
  compression: 4,
  selfBleu: 0.15,
  shared4: 0.3,
  exactDup: 0,
  nearDup: 0,
  mattr: 0.66,
  entropy: 7,
}

/** A full report from the figures the alarms read; the rest is fixed filler that no rule looks at. */
function textReport(f: TextFigures): TextMetricReport {
  return {
    samples: 1000,
    referenceTexts: 1000,
    seed: 0,
    tokenBudget: 20_000,
    tokensUsed: { samples: 20_000, reference: 20_000 },
    isBudgetMet: true,
    distinct: { n1: 0.07, n2: f.distinct2, n3: 0.8, n4: 0.95 },
    compressionRatio: f.compression,
    compressionBytes: 100_000,
    selfBleu4: f.selfBleu,
    selfBleuTexts: 300,
    sharedFourGramRate: f.shared4,
    tailRecall: { types: f.tailTypes, bigrams: f.tailBigrams, rareTypes: 500, rareBigrams: 5000 },
    unigramJsd: f.jsd,
    lengthDrift: { wasserstein1: 0.2, ks: f.ks, meanSamples: 20, meanReference: 20 },
    exactDuplicateRate: f.exactDup,
    nearDuplicateRate: f.nearDup,
    mattr: f.mattr,
    unigramEntropyBits: f.entropy,
  }
}

const confidence = (over: Partial<ConfidenceSummary> = {}): ConfidenceSummary => ({
  positions: 10_000,
  meanTruncatedEntropy: 2,
  meanLeftoverMass: 0.1,
  meanTopOneProbability: 0.5,
  certainShare: 0.2,
  selfPerplexity: 8,
  ...over,
})

// Training snapshots: 100 human originals, of which `kept` are in the set, topped up with depth-2 model text.
const originals = Array.from({ length: 100 }, (_, i) => `h${i}`)
const snapshot = (kept: number) => {
  const items: TrainingItem[] = originals.map((id, i) => ({
    id: i < kept ? id : `m${i}`,
    origin: i < kept ? 'human' : 'model',
    depth: i < kept ? 0 : 2,
    text: 'one two three four',
    editDistance: null,
    temperature: i < kept ? null : 1,
  }))
  return summarizeDataMix(items, originals)
}

const generation = (
  text: Partial<TextFigures>,
  extra: Partial<Omit<GenerationMetrics, 'text'>> = {},
): GenerationMetrics => ({
  text: textReport({ ...baseFigures, ...text }),
  confidence: confidence(),
  heldOut: { perplexity: 100, forgottenShare: 0.02 },
  mix: snapshot(100),
  ...extra,
})

describe('assessGenerations, golden sequence', () => {
  const sequence = [
    generation({}),
    // Tail recall of types down exactly 10 %: the watch edge.
    generation({ tailTypes: 0.54 }),
    // Tails −25 % (alarm edge), distinct-2 −15 % (watch), perplexity ×1.25 (watch), half the originals gone.
    generation(
      { tailTypes: 0.45, distinct2: 0.34 },
      { heldOut: { perplexity: 125, forgottenShare: 0.02 }, mix: snapshot(50) },
    ),
    // Tails back, near-certain share +0.2 (alarm), perplexity ×1.3 (alarm), one original missing (watch).
    generation(
      {},
      {
        confidence: confidence({ certainShare: 0.4 }),
        heldOut: { perplexity: 130, forgottenShare: 0.02 },
        mix: snapshot(99),
      },
    ),
  ]
  const assessed = assessGenerations(sequence)
  const states = assessed.map((g) =>
    Object.fromEntries(Object.entries(g.families).map(([family, a]) => [family, a.state])),
  )

  it('gives the expected state per family and generation', () => {
    expect(states).toEqual([
      { tails: 'healthy', modeConcentration: 'healthy', errors: 'healthy', dataMix: 'healthy' },
      { tails: 'watch', modeConcentration: 'healthy', errors: 'healthy', dataMix: 'healthy' },
      { tails: 'alarm', modeConcentration: 'watch', errors: 'watch', dataMix: 'alarm' },
      { tails: 'healthy', modeConcentration: 'alarm', errors: 'alarm', dataMix: 'watch' },
    ])
    expect(assessed.map((g) => g.verdict)).toEqual(['healthy', 'watch', 'alarm', 'alarm'])
  })

  it('says what each state means and what to do, quoting the signal behind it', () => {
    const [, first, second, third] = assessed
    expect(first?.families.tails?.sentence).toBe(
      'Tails thinning — tail recall of types down 10 % since generation 0 (0.600 → 0.540): rare human words are starting to go — check that every human original is in the next training set and watch the next generation.',
    )
    expect(second?.families.dataMix?.sentence).toBe(
      'The last training set dropped the human originals (50 of 100 human originals kept): this is the replace regime — keep every human original.',
    )
    expect(second?.families.errors?.sentence).toContain(
      'held-out perplexity up 25 % since generation 0 (100 → 125)',
    )
    expect(third?.families.modeConcentration?.sentence).toContain(
      'share of near-certain tokens up 0.200 since generation 0 (0.200 → 0.400)',
    )
    expect(third?.families.dataMix?.sentence).toContain('99 of 100 human originals kept')
  })

  it('stays healthy just inside a threshold', () => {
    const [, inside] = assessGenerations([generation({}), generation({ tailTypes: 0.6 * (1 - 0.099) })])
    expect(inside?.families.tails?.state).toBe('healthy')
  })

  it('never alarms on MATTR or unigram entropy alone', () => {
    const [, late] = assessGenerations([generation({}), generation({ mattr: 0.1, entropy: 1 })])
    expect(late?.verdict).toBe('healthy')
  })

  it('leaves out the families a generation cannot measure', () => {
    const textOnly = { text: textReport(baseFigures) }
    const [, next] = assessGenerations([textOnly, { text: textReport({ ...baseFigures, distinct2: 0.3 }) }])
    expect(Object.keys(next?.families ?? {})).toEqual(['tails', 'modeConcentration'])
    expect(next?.verdict).toBe('alarm')
  })
})

const unit = fc.double({ min: 0.001, max: 1, noNaN: true })
const figures = fc.record<TextFigures>({
  tailTypes: unit,
  tailBigrams: unit,
  jsd: unit,
  ks: unit,
  distinct2: unit,
  compression: fc.double({ min: 1, max: 20, noNaN: true }),
  selfBleu: unit,
  shared4: unit,
  exactDup: unit,
  nearDup: unit,
  mattr: unit,
  entropy: fc.double({ min: 0.1, max: 15, noNaN: true }),
})
const fullGeneration = fc.record({
  figures,
  entropy: fc.double({ min: 0.01, max: 5, noNaN: true }),
  perplexity: fc.double({ min: 1, max: 1000, noNaN: true }),
  kept: fc.integer({ min: 0, max: 100 }),
})
type Full = typeof fullGeneration extends fc.Arbitrary<infer T> ? T : never
const build = (g: Full, scale = 1): GenerationMetrics => ({
  // Only metrics under relative rules are scaled; shares under absolute rules keep their values.
  text: textReport({
    ...g.figures,
    tailTypes: g.figures.tailTypes * scale,
    tailBigrams: g.figures.tailBigrams * scale,
    jsd: g.figures.jsd * scale,
    distinct2: g.figures.distinct2 * scale,
    compression: g.figures.compression * scale,
    selfBleu: g.figures.selfBleu * scale,
  }),
  confidence: confidence({ meanTruncatedEntropy: g.entropy * scale }),
  heldOut: { perplexity: g.perplexity * scale, forgottenShare: 0.02 },
  mix: snapshot(g.kept),
})
const statesOf = (generations: GenerationMetrics[]) =>
  assessGenerations(generations).map((g) => Object.values(g.families).map((a) => a.state))

describe('assessGenerations, properties', () => {
  it('is healthy everywhere when every generation equals generation 0', () => {
    fc.assert(
      fc.property(fullGeneration, fc.integer({ min: 1, max: 6 }), (g, later) => {
        const all = assessGenerations(Array.from({ length: later + 1 }, () => build(g)))
        for (const a of all) {
          expect(a.verdict).toBe('healthy')
          expect(Object.keys(a.families)).toHaveLength(4)
        }
      }),
    )
  })

  it('gives the same states when relative metrics are scaled alike in every generation', () => {
    fc.assert(
      fc.property(
        fullGeneration,
        fullGeneration,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (a, b, c) => {
          expect(statesOf([build(a, c), build(b, c)])).toEqual(statesOf([build(a), build(b)]))
        },
      ),
    )
  })
})

const rank: Record<FamilyState, number> = { healthy: 0, watch: 1, alarm: 2 }
const rule = fc
  .record({
    direction: fc.constantFrom<Rule['direction']>('drop', 'rise'),
    scale: fc.constantFrom<Rule['scale']>('relative', 'absolute'),
    watch: fc.double({ min: 0, max: 1, noNaN: true }),
    extra: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ direction, scale, watch, extra }): Rule => ({ direction, scale, watch, alarm: watch + extra }))

describe('gradeSignal, properties', () => {
  it('never grades a value further in the collapse direction as better', () => {
    const positive = fc.double({ min: 0.01, max: 100, noNaN: true })
    fc.assert(
      fc.property(rule, positive, positive, positive, (r, base, current, step) => {
        const worse = r.direction === 'drop' ? current - step : current + step
        const before = gradeSignal('m', 'm', base, current, r)
        const after = gradeSignal('m', 'm', base, worse, r)
        if (before === null || after === null) throw new Error('a positive base is always graded')
        expect(rank[after.state]).toBeGreaterThanOrEqual(rank[before.state])
      }),
    )
  })

  it('is unmeasured, not healthy, when a value is missing or a relative base is not positive', () => {
    const relative: Rule = { direction: 'drop', scale: 'relative', watch: 0.1, alarm: 0.2 }
    expect(gradeSignal('m', 'm', null, 1, relative)).toBeNull()
    expect(gradeSignal('m', 'm', 1, undefined, relative)).toBeNull()
    expect(gradeSignal('m', 'm', 0, 1, relative)).toBeNull()
    expect(gradeSignal('m', 'm', 0, 0.3, { ...relative, scale: 'absolute', direction: 'rise' })?.state).toBe(
      'alarm',
    )
  })
})
