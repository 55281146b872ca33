// The report's own logic: what it asks the person to do next at each stage, generation 0 as the baseline
// whatever order the generations come in, the common token budget, and unprobed generations left out of
// the comparison rather than compared with nothing.
import { describe, expect, it } from 'vitest'
import type { FrozenSets, ModelGenerationRecord, ProbeResult } from '@shared/domain/monitor'
import { buildCollapseReport, type ReportInputs } from '@shared/monitor/collapse-report'

const settings = { samplesPerPrompt: 2, maxTokens: 16, seed: 1, topLogprobs: 5 }
const sets: FrozenSets = {
  setsId: 'S',
  choiceSeed: 1,
  probeSampleIds: ['p1'],
  referenceSampleIds: ['r1', 'r2'],
  textHashes: [],
  settings,
  frozenAt: '2026-12-06T00:00:00Z',
}
const generation = (id: string, n: number, parentId: string | null): ModelGenerationRecord => ({
  id,
  generation: n,
  parentId,
  label: `label ${id}`,
  engine: 'llamacpp',
  ggufPath: `/models/${id}.gguf`,
  ollama: null,
  trainingSnapshotId: null,
  createdAt: `2026-12-06T00:00:0${n}Z`,
})
const probe = (generationId: string, texts: string[], perplexity: number): ProbeResult => ({
  generationId,
  setsId: 'S',
  jobId: 'j',
  modelDigest: null,
  settings,
  templateId: 'monitor-raw-v1',
  samples: texts.map((text, i) => ({ probeSampleId: 'p1', seed: i, text })),
  confidence: null,
  confidenceParts: [],
  embedding: null,
  heldOut: {
    perplexity,
    forgottenShare: 0,
    references: [
      { sampleId: 'r1', tokens: 10, nll: 10 * Math.log(perplexity), forgotten: 0 },
      { sampleId: 'r2', tokens: 10, nll: 10 * Math.log(perplexity), forgotten: 0 },
    ],
  },
  baselineScored: null,
  probedAt: '2026-12-06T01:00:00Z',
})

const varied = ['the fox ran over the hill and far away', 'a small bird sang in the tall green tree']
const repeated = ['the fox ran the fox ran the fox ran', 'the fox ran the fox ran the fox ran']
const g0 = generation('g0', 0, null)
const g1 = generation('g1', 1, 'g0')
const g2 = generation('g2', 2, 'g1')

function build(overrides: Partial<ReportInputs>) {
  return buildCollapseReport({
    generations: [],
    sets: null,
    probes: new Map(),
    referenceTexts: ['the quick brown fox jumps over the lazy dog', 'a bird sang in a tree by the river'],
    probePrompts: [{ sampleId: 'p1', text: 'Once' }],
    builtAt: '2026-12-06T02:00:00Z',
    ...overrides,
  })
}

describe('buildCollapseReport', () => {
  it('says what to do next at each stage', () => {
    expect(build({}).nextStep).toMatch(/^Register generation 0/)
    expect(build({ generations: [g0] }).nextStep).toMatch(/^Freeze the probe and reference sets/)
    expect(build({ generations: [g0, g1], sets }).nextStep).toMatch(/^Probe generation 0 first/)
    const probes = new Map([['g0', probe('g0', varied, 3)]])
    expect(build({ generations: [g0, g1], sets, probes }).nextStep).toBe(
      'Probe label g1 to compare it with generation 0.',
    )
    expect(build({ generations: [g0], sets, probes }).nextStep).toMatch(
      /^Register and probe a later generation/,
    )
  })

  it('grades every probed generation against generation 0 and leaves unprobed ones out', () => {
    const probes = new Map([
      ['g2', probe('g2', repeated, 9)],
      ['g0', probe('g0', varied, 3)],
    ])
    // Listed out of order on purpose: the baseline is the generation numbered 0, not the first listed.
    const report = build({ generations: [g2, g1, g0], sets, probes })
    const byId = new Map(report.generations.map((g) => [g.id, g]))
    expect(byId.get('g0')!.assessment!.verdict).toBe('healthy')
    expect(byId.get('g1')!.assessment).toBeNull()
    expect(byId.get('g1')!.metrics).toBeNull()
    const errors = byId.get('g2')!.assessment!.families.errors!
    expect(errors.state).toBe('alarm')
    expect(errors.signals[0]!.base).toBeCloseTo(3, 10)
    expect(byId.get('g2')!.assessment!.generation).toBe(2)
    expect(report.verdict).toBe('alarm')
    // One budget for all: the smallest distinct-token count among the reference and the probed generations.
    expect(byId.get('g0')!.metrics!.text.tokenBudget).toBe(report.tokenBudget)
    expect(byId.get('g2')!.metrics!.text.tokenBudget).toBe(report.tokenBudget)
    // g2 repeats one 9-token text: its distinct texts hold 9 tokens, fewer than anyone else's.
    expect(report.tokenBudget).toBe(9)
    expect(report.generations.map((g) => g.id)).toEqual(['g0', 'g1', 'g2'])
  })
})
