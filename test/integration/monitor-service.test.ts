// The collapse monitor through the real services and log: generations registered with their lineage, the
// probe and reference sets frozen once and refused by every export, a probe job run with the real tiny
// model (fixed seeds: the same texts twice), cancellation, and the report written as JSON and HTML.
import { mkdir, readFile, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import type { ExportRecord } from '@shared/export/export-record'
import type { SampleRecord } from '@shared/domain/sample'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
import { noProtectedSets } from '@shared/export/selection/probe-guard'
import { selectDataset } from '@shared/export/selection/select-dataset'
import { defaultFormatOptions } from '@shared/export/format-options'
import { writeExport } from '../../src-renderer/state/datasets/export-writer'
import { reportSeries } from '@shared/monitor/report-series'
import { openTestServices, jobSettled } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { seedHumanSamples, storyPrompts, storyReferences, registerGguf } from '../factories/monitor'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'

const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')
const settings = { samplesPerPrompt: 2, maxTokens: 24, seed: 11, topLogprobs: 8 }

let work: string
let services: AppServices
let projectId: string

beforeEach(async () => {
  work = await tempDir('monitor-service')
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'monitor' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

const embedded = (label: string, parentId: string | null) =>
  registerGguf(services, projectId, MODEL, label, parentId)

const freeze = (probeSize = 2, referenceSize = 4) =>
  services.handlers['monitor.freezeSets']({ projectId, probeSize, referenceSize, seed: 5, settings })

const replaceSpec = { ...defaultDatasetSpec, mix: { ...defaultDatasetSpec.mix, accumulate: false } }

const humanOriginal = (sample: SampleRecord): ExportRecord => ({
  sampleId: sample.id,
  externalId: null,
  source: { text: sample.text, meta: {}, origin: 'human', depth: 0 },
  candidates: [],
  review: { status: 'unreviewed', chosenCandidateId: null, finalText: null, negativeIds: [], flags: [] },
})

async function probe(generationId: string) {
  const { jobId } = await services.handlers['monitor.probe']({ projectId, generationId })
  return jobSettled(services, jobId)
}

describe('collapse monitor service', () => {
  it('registers a lineage: one generation 0, later ones numbered from their parent', async () => {
    const base = await embedded('base', null)
    expect(base.generation).toBe(0)
    await expect(embedded('another base', null)).rejects.toThrow(
      /Generation 0 is already registered \(base\)/,
    )
    const child = await embedded('gen 1', base.id)
    expect(child).toMatchObject({ generation: 1, parentId: base.id })
    await expect(embedded('orphan', 'nope')).rejects.toThrow(/register it first/)

    // The lineage is in the log: a new process reads it back.
    await services.close()
    services = await openTestServices(join(work, 'data'))
    const report = await services.handlers['monitor.report']({ projectId })
    expect(report.generations.map((g) => [g.label, g.generation])).toEqual([
      ['base', 0],
      ['gen 1', 1],
    ])
    expect(report.nextStep).toMatch(/Freeze the probe and reference sets/)
  })

  it('freezes the sets once, from human samples only, and every export keeps them out of training', async () => {
    await expect(freeze()).rejects.toThrow(/need 6 distinct human samples and the project has 0/)
    const human = await seedHumanSamples(services, projectId, [...storyPrompts, ...storyReferences])
    const sets = await freeze()
    expect(sets.probeSampleIds).toHaveLength(2)
    expect(sets.referenceSampleIds).toHaveLength(4)
    await expect(freeze()).rejects.toThrow(/were frozen on .*they stay fixed/)

    const guarded = await services.handlers['monitor.protectedSets']({ projectId })
    expect(guarded.sampleIds).toEqual([...sets.probeSampleIds, ...sets.referenceSampleIds])
    // The export's own selection, given what main answers, refuses the probe and reference samples — and a
    // copy of a reference text under another sample id, by its hash.
    const copy = { ...human.find((s) => s.id === sets.referenceSampleIds[0])!, id: 'copy' }
    const inputs = [...human, copy].map((sample) => ({
      record: humanOriginal(sample),
      tags: [],
      reviewedAt: null,
    }))
    // Accumulate leaves their human originals out (they are not the person's choice of training data);
    // taken by the filter instead (accumulate off), they are refused.
    const kept = selectDataset(inputs, defaultDatasetSpec, guarded)
    expect(
      kept.ok && kept.selection.dropped.find((d) => d.reason === 'protected:probe-or-reference')?.ids,
    ).toHaveLength(guarded.sampleIds.length + 1)
    const outcome = selectDataset(inputs, replaceSpec, guarded)
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.offenders.map((o) => o.sampleId).sort()).toEqual(
      [...guarded.sampleIds, 'copy'].sort(),
    )
    expect(selectDataset(inputs, replaceSpec, noProtectedSets).ok).toBe(true)

    // The renderer's export writer through the real export service, given what main answers: refused, and
    // the export's folder is gone again.
    const out = join(work, 'exports')
    await mkdir(out)
    const written = await writeExport(
      services.handlers,
      projectId,
      {
        logSeq: 1,
        total: inputs.length,
        scan: async (visit) => visit(inputs),
      },
      {
        name: 'stories',
        folder: out,
        formats: ['sft-messages'],
        spec: replaceSpec,
        formatOptions: defaultFormatOptions,
        protectedSets: await services.handlers['monitor.protectedSets']({ projectId }),
        huggingFace: null,
      },
    )
    expect(written.ok).toBe(false)
    if (!written.ok) expect(written.offenders).toHaveLength(guarded.sampleIds.length + 1)
    expect(await readdir(out)).toEqual([])
  })

  it('probes a generation with the real model: fixed seeds give the same texts; cancel records nothing', async () => {
    await seedHumanSamples(services, projectId, [...storyPrompts, ...storyReferences])
    const sets = await freeze()
    const base = await embedded('stories260K', null)
    const again = await embedded('stories260K again', base.id)

    const first = await probe(base.id)
    expect(first.status).toBe('done')
    const second = await probe(again.id)
    expect(second.status).toBe('done')
    const report = await services.handlers['monitor.report']({ projectId })
    const [g0, g1] = report.generations
    expect(g0!.metrics!.text.samples).toBe(sets.probeSampleIds.length * settings.samplesPerPrompt)
    expect(report.probePrompts.map((p) => p.sampleId)).toEqual(sets.probeSampleIds)
    expect(
      report.probePrompts.every((p) => storyPrompts.includes(p.text) || storyReferences.includes(p.text)),
    ).toBe(true)
    expect(g0!.samples.map((s) => s.seed)).toEqual([11, 12, 1011, 1012])
    // Same weights, same seeds, same decoding: the same continuations and the same likelihood.
    expect(g1!.metrics!.text).toEqual(g0!.metrics!.text)
    expect(g1!.metrics!.heldOut).toEqual(g0!.metrics!.heldOut)
    const perplexity = g0!.metrics!.heldOut!.perplexity!
    expect(perplexity).toBeGreaterThan(1)
    expect(perplexity).toBeLessThan(100)
    expect(g0!.perplexityBand!.low).toBeLessThanOrEqual(perplexity)
    expect(g0!.perplexityBand!.high).toBeGreaterThanOrEqual(perplexity)
    expect(g0!.metrics!.confidence!.positions).toBeGreaterThan(0)
    // Generation 0 scoring its own probe stories: the same figures as generation 1 (same weights and seeds).
    expect(g0!.baselineScored!.samples).toBe(g0!.samples.length)
    expect(g0!.baselineScored!.median).toBeGreaterThan(1)
    expect(g0!.baselineScored!.p95).toBeGreaterThanOrEqual(g0!.baselineScored!.median)
    expect(g1!.baselineScored).toEqual(g0!.baselineScored)
    expect(g0!.modelDigest).toMatch(/^sha256:270cba1b/)
    expect(g1!.assessment!.families.errors!.state).toBe('healthy')
    // Every charted metric has its 90 % band at every probed generation, and the half-sample bands of the
    // text metrics hold their figure.
    const series = reportSeries(report)
    expect(series.length).toBeGreaterThanOrEqual(12)
    for (const metric of series)
      for (const point of metric.points) {
        expect(point.low, `${metric.key} at ${point.generation}`).not.toBeNull()
        expect(point.high, metric.key).not.toBeNull()
        if (!metric.key.startsWith('confidence.') && !metric.key.startsWith('baselineScored.'))
          expect(point.low! <= point.value + 1e-9 && point.value <= point.high! + 1e-9, metric.key).toBe(true)
      }
    expect(g0!.bands['distinct.n2']).toEqual(g1!.bands['distinct.n2'])
    expect(report.verdict).toBe('healthy')
    expect(report.nextStep).toBeNull()

    // A cancelled probe leaves the recorded one in place.
    const { jobId } = await services.handlers['monitor.probe']({ projectId, generationId: again.id })
    services.jobs.cancel(jobId)
    expect((await jobSettled(services, jobId)).status).toBe('cancelled')
    const after = await services.handlers['monitor.report']({ projectId })
    expect(after.generations[1]!.probedAt).toBe(g1!.probedAt)
    // Nothing the monitor reads changed, so the report is not built again (the screen asks on every append).
    expect(after).toBe(report)

    const folder = join(work, 'reports')
    await mkdir(folder)
    const written = await services.handlers['monitor.exportReport']({ projectId, folder })
    const secondWrite = await services.handlers['monitor.exportReport']({ projectId, folder })
    expect(secondWrite.jsonPath).not.toBe(written.jsonPath)
    expect((await readdir(folder)).sort()).toHaveLength(4)
    const json = JSON.parse(await readFile(written.jsonPath, 'utf8')) as typeof report
    expect(json.generations[0]!.metrics!.heldOut).toEqual(g0!.metrics!.heldOut)
    const html = await readFile(written.htmlPath, 'utf8')
    expect(html).toContain('<svg')
    expect(html).toContain('Held-out perplexity')
    expect(html).not.toContain('<script')
  }, 120_000)

  it('probes an Ollama generation through its host, scoring held-out text with its GGUF file', async () => {
    const ollama = await new FakeOllamaServer().start()
    try {
      await seedHumanSamples(services, projectId, [...storyPrompts, ...storyReferences])
      const sets = await freeze()
      const base = await services.handlers['monitor.register']({
        projectId,
        generation: {
          label: 'tiny on Ollama',
          parentId: null,
          engine: 'ollama',
          ggufPath: MODEL,
          ollama: { host: ollama.url, name: 'tiny:latest' },
          trainingSnapshotId: null,
        },
      })
      const job = await probe(base.id)
      expect(job.error).toBeNull()
      expect(ollama.counts.get('generate')).toBe(sets.probeSampleIds.length * settings.samplesPerPrompt)
      const [g0] = (await services.handlers['monitor.report']({ projectId })).generations
      expect(g0!.metrics!.confidence!.positions).toBeGreaterThan(0)
      expect(g0!.metrics!.heldOut!.perplexity).toBeGreaterThan(1)
      expect(g0!.modelDigest).not.toMatch(/^sha256:270cba1b/)
    } finally {
      await ollama.stop()
    }
  })
})
