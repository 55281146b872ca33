// The data-mix family in the app: human samples, model rewrites of them (temperature 0.7) accepted or edited,
// two datasets exported through the renderer's writer and the real export service — one that keeps every
// human original (accumulate), one that leaves them out (replace) — and model generations registered with
// them. The monitor's report reads each generation's training set back from the log and grades it, no probe
// needed: accumulate healthy, replace an alarm that says so.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { SampleRecord } from '@shared/domain/sample'
import { reduceSampleReview } from '@shared/domain/review-state'
import { buildExportRecord } from '@shared/export/export-record'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { DatasetSpec } from '@shared/export/selection/dataset-spec'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import { collapseReportHtml } from '@shared/monitor/report-html'
import { reportSeries } from '@shared/monitor/report-series'
import { writeExport } from '../../src-renderer/state/datasets/export-writer'
import { openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { makeDecision } from '../factories/decisions'
import { makeCandidate } from '../factories/log-events'
import { seedHumanSamples, storyReferences } from '../factories/monitor'

let work: string
let services: AppServices
let projectId: string

beforeEach(async () => {
  work = await tempDir('monitor-mix')
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'mix' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

const humanTexts = [
  ...storyReferences,
  'The old man walked to the river every morning and counted the boats that passed by.',
  'A tall giraffe bent down to look at the small turtle crossing the dusty road.',
]

/** Every human sample gets one model rewrite; the first is edited heavily, the others accepted as they are. */
async function reviewRewrites(samples: readonly SampleRecord[]) {
  const candidates = samples.map((s, i) =>
    makeCandidate(s.id, {
      text: `Rewritten ${i}: ${s.text.split(' ').reverse().join(' ')}`,
      provenance: {
        ...makeCandidate(s.id).provenance,
        sampling: { temperature: 0.7, topP: 0.9, topK: 40, seed: i, maxTokens: 64, stop: [] },
      },
    }),
  )
  await services.registry.append(projectId, [{ kind: 'candidates.recorded', data: { candidates } }])
  for (const [i, candidate] of candidates.entries()) {
    const decision =
      i === 0
        ? makeDecision('edit', {
            projectId,
            sampleId: candidate.sampleId,
            candidateId: candidate.id,
            editedText: 'A completely different sentence written by the reviewer from scratch.',
            diff: null,
            shownOrder: [candidate.id],
          })
        : makeDecision('select', {
            projectId,
            sampleId: candidate.sampleId,
            candidateId: candidate.id,
            shownOrder: [candidate.id],
          })
    await services.handlers['review.decide']({ projectId, decision })
  }
  return candidates
}

async function exportWith(
  name: string,
  spec: DatasetSpec,
  samples: readonly SampleRecord[],
  candidates: readonly CandidateRecord[],
) {
  const state = await services.registry.state(projectId)
  const inputs = samples.map((sample) => {
    const review = reduceSampleReview(state.decisionsBySample.get(sample.id) ?? [])
    return {
      record: buildExportRecord(sample, candidates, review),
      tags: [],
      reviewedAt: review.lastDecisionAt,
    }
  })
  const folder = join(work, 'exports')
  await mkdir(folder, { recursive: true })
  const written = await writeExport(
    services.handlers,
    projectId,
    { logSeq: state.lastSeq, total: inputs.length, scan: async (visit) => visit(inputs) },
    {
      name,
      folder,
      formats: ['sft-messages'],
      spec,
      formatOptions: defaultFormatOptions,
      protectedSets: await services.handlers['monitor.protectedSets']({ projectId }),
      huggingFace: null,
    },
  )
  if (!written.ok) throw new Error('export refused')
  return written.snapshot
}

const register = (label: string, parentId: string | null, trainingSnapshotId: string | null) =>
  services.handlers['monitor.register']({
    projectId,
    generation: {
      label,
      parentId,
      engine: 'ollama',
      ggufPath: null,
      ollama: { host: 'http://127.0.0.1:11434', name: label },
      trainingSnapshotId,
    },
  })

describe('collapse monitor: the data mix of each generation’s training set', () => {
  it('grades accumulate healthy and replace as an alarm, from the snapshots in the log', async () => {
    const samples = await seedHumanSamples(services, projectId, humanTexts)
    const candidates = await reviewRewrites(samples)
    const noTest = { ...defaultDatasetSpec.split, testFraction: 0 }
    const noDedup = { exact: false, nearDuplicate: null }
    const accumulate = await exportWith(
      'accumulate',
      { ...defaultDatasetSpec, split: noTest, dedup: noDedup },
      samples,
      candidates,
    )
    const replace = await exportWith(
      'replace',
      {
        ...defaultDatasetSpec,
        split: noTest,
        dedup: noDedup,
        mix: { ...defaultDatasetSpec.mix, accumulate: false },
        filter: { ...defaultDatasetSpec.filter, depth: { min: 1, max: 10 } },
      },
      samples,
      candidates,
    )
    const base = await register('base', null, null)
    const first = await register('gen-1', base.id, accumulate.id)
    const second = await register('gen-2', first.id, replace.id)
    const unknown = await register('gen-3', second.id, null)

    const report = await services.handlers['monitor.report']({ projectId })
    expect(report.isMixBaselineHumanOnly).toBe(true)
    const [g0, g1, g2, g3] = report.generations
    expect(g0!.dataMix).toBeNull()
    expect(g0!.dataMixMissing).toMatch(/compared with human-only data/)
    expect(g3!.dataMix).toBeNull()
    expect(g3!.dataMixMissing).toMatch(/No training dataset is recorded/)

    const n = humanTexts.length
    const mix1 = g1!.dataMix!
    expect(mix1.snapshotName).toBe('accumulate')
    expect(mix1.note).toBeNull()
    expect(mix1.mix.items).toBe(2 * n)
    expect(mix1.mix.realDataRetained).toEqual({
      originals: n,
      retained: n,
      retainedShare: 1,
      isAllRetained: true,
    })
    expect(mix1.mix.realFraction.realCount).toBe(n)
    expect(mix1.mix.realFraction.realFraction!).toBeGreaterThan(0.3)
    expect(mix1.mix.realFraction.realFraction!).toBeLessThan(0.7)
    // Human samples 0 (depth 0) and their rewrites at depth 1; no depth ≥ 2 yet.
    expect(mix1.mix.depth.bins.map((b) => [b.depth, b.items])).toEqual([
      [0, n],
      [1, n],
    ])
    expect(mix1.mix.depth.massAtDepth2Plus).toBe(0)
    // The first training set's human originals are all new to the lineage, plus one heavily edited rewrite.
    expect(mix1.mix.freshHumanShare).toBeCloseTo((n + 1) / (2 * n), 12)
    expect(mix1.mix.temperature).toMatchObject({ syntheticItems: n, belowOneShare: 1, aboveOneShare: 0 })
    expect(mix1.assessment!.state).toBe('healthy')

    const mix2 = g2!.dataMix!
    expect(mix2.mix.items).toBe(n)
    expect(mix2.mix.realDataRetained).toMatchObject({ originals: n, retained: 0, retainedShare: 0 })
    expect(mix2.mix.realFraction.realFraction).toBe(0)
    // Only the heavily edited text is fresh human input; none of the originals is new to the lineage.
    expect(mix2.mix.freshHumanShare).toBeCloseTo(1 / n, 12)
    expect(mix2.assessment!.state).toBe('alarm')
    expect(mix2.assessment!.sentence).toMatch(
      /^The last training set dropped the human originals \(0 of 8 human originals kept\): this is the replace regime/,
    )
    // Not probed, so no verdict from the probe families; the data-mix family stands on its own.
    expect(g2!.assessment).toBeNull()
    // Charted against the human-only baseline, and in the exported HTML.
    const retained = reportSeries(report).find((s) => s.key === 'realDataRetained.retainedShare')!
    expect(retained.base).toBe(1)
    expect(retained.points.map((p) => [p.generation, p.value])).toEqual([
      [1, 1],
      [2, 0],
    ])
    const html = collapseReportHtml(report, 'mix')
    expect(html).toContain('dataset “replace”')
    expect(html).toContain('this is the replace regime')
    expect(html).toContain('0 of 8 (0.0 %)')

    // A new process rebuilds the same figures from the log.
    await services.close()
    services = await openTestServices(join(work, 'data'))
    const again = await services.handlers['monitor.report']({ projectId })
    expect(again.generations[2]!.dataMix!.mix).toEqual(mix2.mix)
    expect(again.generations[3]!.id).toBe(unknown.id)
  })
})
