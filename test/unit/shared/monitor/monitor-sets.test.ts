// The monitor's pure parts: the seeded choice of probe and reference sets, the fold of its log events
// (idempotent, first freeze wins, probes on other sets ignored) and the bootstrap band of perplexity.
import { describe, expect, it } from 'vitest'
import { chooseSets } from '@shared/monitor/choose-sets'
import { MonitorFold } from '@shared/monitor/monitor-fold'
import type { LogEvent } from '@shared/domain/log-events'
import type { z } from 'zod'
import type { FrozenSets, probeResult } from '@shared/domain/monitor'
import { bootstrapPerplexity } from '@shared/metrics/likelihood/bootstrap-perplexity'

const samples = Array.from({ length: 30 }, (_, i) => ({
  id: `s${i}`,
  ord: i + 1,
  text: `Text number ${i % 25}`,
}))
const settings = { samplesPerPrompt: 2, maxTokens: 16, seed: 1, topLogprobs: 5 }

describe('chooseSets', () => {
  it('is seeded, disjoint, and skips repeated texts', () => {
    const a = chooseSets(samples, { probeSize: 5, referenceSize: 10 }, 7)
    expect(chooseSets([...samples].reverse(), { probeSize: 5, referenceSize: 10 }, 7)).toEqual(a)
    expect(chooseSets(samples, { probeSize: 5, referenceSize: 10 }, 8)).not.toEqual(a)
    const all = [...a.probeSampleIds, ...a.referenceSampleIds]
    expect(new Set(all).size).toBe(15)
    // s25..s29 repeat the texts of s0..s4 and are never chosen.
    expect(all.every((id) => Number(id.slice(1)) < 25)).toBe(true)
  })

  it('says what to do when there are too few human texts', () => {
    expect(() => chooseSets(samples, { probeSize: 20, referenceSize: 10 }, 1)).toThrow(
      /need 30 distinct human samples and the project has 25: import more/,
    )
  })
})

let seq = 0
const event = (kind: string, data: unknown): LogEvent => ({
  seq: ++seq,
  id: `e${seq}`,
  v: 1,
  kind,
  at: '2026-12-06T00:00:00Z',
  data,
})

const sets = (setsId: string): FrozenSets => ({
  setsId,
  choiceSeed: 1,
  probeSampleIds: ['p1'],
  referenceSampleIds: ['r1', 'r2'],
  textHashes: ['h1', 'h2', 'h3'],
  settings,
  frozenAt: '2026-12-06T00:00:00Z',
})

// As recorded before generation-0 scoring existed: no baselineScored field.
const probe = (setsId: string, perplexity: number): z.input<typeof probeResult> => ({
  generationId: 'g0',
  setsId,
  jobId: 'j',
  modelDigest: null,
  settings,
  templateId: 'monitor-raw-v1',
  samples: [{ probeSampleId: 'p1', seed: 1, text: 'once' }],
  confidence: null,
  heldOut: { perplexity, forgottenShare: 0, references: [] },
  probedAt: '2026-12-06T00:00:00Z',
})

describe('MonitorFold', () => {
  it('applies the same events twice to the same state; the first freeze wins', () => {
    const generation = {
      id: 'g0',
      generation: 0,
      parentId: null,
      label: 'base',
      engine: 'llamacpp',
      ggufPath: '/m.gguf',
      ollama: null,
      trainingSnapshotId: null,
      createdAt: '2026-12-06T00:00:00Z',
    }
    const events = [
      event('monitor.generationRegistered', { generation }),
      event('monitor.setsFrozen', { sets: sets('A') }),
      event('monitor.setsFrozen', { sets: sets('B') }),
      event('monitor.probed', { probe: probe('B', 9) }),
      event('monitor.probed', { probe: probe('A', 3) }),
    ]
    const once = new MonitorFold()
    const twice = new MonitorFold()
    for (const e of events) once.apply(e)
    for (const e of [...events, ...events]) twice.apply(e)
    expect(twice.ordered()).toEqual(once.ordered())
    expect(twice.sets?.setsId).toBe('A')
    expect(twice.probes.get('g0')?.heldOut?.perplexity).toBe(3)
    expect(twice.probes.get('g0')?.baselineScored).toBeNull()
    expect(twice.protectedSets()).toEqual({ sampleIds: ['p1', 'r1', 'r2'], textHashes: ['h1', 'h2', 'h3'] })
    expect(new MonitorFold().protectedSets()).toEqual({ sampleIds: [], textHashes: [] })
  })
})

describe('bootstrapPerplexity', () => {
  it('brackets the pooled perplexity and narrows to it when the texts agree', () => {
    const texts = [
      { tokens: 10, nll: 10 },
      { tokens: 10, nll: 30 },
      { tokens: 20, nll: 20 },
      { tokens: 5, nll: 15 },
    ]
    const pooled = Math.exp(75 / 45)
    const band = bootstrapPerplexity(texts, 3)!
    expect(band.low).toBeLessThan(pooled)
    expect(band.high).toBeGreaterThan(pooled)
    const same = bootstrapPerplexity(
      [
        { tokens: 4, nll: 8 },
        { tokens: 4, nll: 8 },
      ],
      3,
    )!
    expect(same.low).toBeCloseTo(Math.exp(2), 12)
    expect(same.high).toBeCloseTo(Math.exp(2), 12)
    expect(bootstrapPerplexity([{ tokens: 4, nll: 8 }])).toBeNull()
  })
})
