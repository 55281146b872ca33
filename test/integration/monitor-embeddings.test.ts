// Embedding metrics in app probes: generations written by the real tiny model, their continuations and the
// reference texts embedded through an Ollama embedding model (the fake server's /api/embed) or the embedded
// engine. The report charts Vendi, pairwise distance, within-input spread, centroid drift and MMD with bands,
// says why MAUVE is missing, and without an embedding model says how to set one instead of showing nothing.
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import type { EmbeddingModel } from '@shared/domain/monitor'
import { reportSeries } from '@shared/monitor/report-series'
import { FakeOllamaServer, fakeModel } from '../fakes/fake-ollama-server'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { seedHumanSamples, storyPrompts, storyReferences, registerGguf } from '../factories/monitor'

const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')

let work: string
let services: AppServices
let projectId: string
let ollama: FakeOllamaServer

beforeEach(async () => {
  work = await tempDir('monitor-embeddings')
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'embeddings' })).id
  ollama = await new FakeOllamaServer().start()
  await seedHumanSamples(services, projectId, [...storyPrompts, ...storyReferences])
  await services.handlers['monitor.freezeSets']({
    projectId,
    probeSize: 4,
    referenceSize: 5,
    seed: 5,
    settings: { samplesPerPrompt: 3, maxTokens: 16, seed: 11, topLogprobs: 4 },
  })
})

afterEach(async () => {
  await ollama.stop()
  await services.close()
  await cleanup(work)
})

const register = (label: string, parentId: string | null) =>
  registerGguf(services, projectId, MODEL, label, parentId)

async function probe(generationId: string, embedding: EmbeddingModel | null) {
  const { jobId } = await services.handlers['monitor.probe']({ projectId, generationId, embedding })
  const job = await jobSettled(services, jobId)
  expect(job.status).toBe('done')
}

describe('collapse monitor: an Ollama generation', () => {
  it('scores the references with the GGUF blob behind a local Ollama model, and with none when the file it names is not here', async () => {
    // As for a model pulled on this machine: /api/show's Modelfile names its weights blob by path.
    ollama.models.push(fakeModel('stories:260k', { modelFile: MODEL }))
    const viaOllama = await services.handlers['monitor.register']({
      projectId,
      generation: {
        label: 'stories in Ollama',
        parentId: null,
        engine: 'ollama',
        ggufPath: null,
        ollama: { host: ollama.url, name: 'stories:260k' },
        trainingSnapshotId: null,
      },
    })
    const asFile = await register('the same file', viaOllama.id)
    await probe(viaOllama.id, null)
    await probe(asFile.id, null)
    const report = await services.handlers['monitor.report']({ projectId })
    const [fromOllama, fromFile] = report.generations
    // The same weights, read from the blob Ollama named: the same exact perplexity as the file itself.
    const perplexity = fromOllama!.metrics!.heldOut!.perplexity!
    expect(perplexity).toBeGreaterThan(1)
    expect(perplexity).toBeCloseTo(fromFile!.metrics!.heldOut!.perplexity!, 9)

    // A model whose Modelfile names no file here (a remote host's path, or a model name): no perplexity.
    ollama.models.push(fakeModel('elsewhere:1b', { modelFile: '/nowhere/.ollama/models/blobs/sha256-00' }))
    const remote = await services.handlers['monitor.register']({
      projectId,
      generation: {
        label: 'not on this machine',
        parentId: viaOllama.id,
        engine: 'ollama',
        ggufPath: null,
        ollama: { host: ollama.url, name: 'elsewhere:1b' },
        trainingSnapshotId: null,
      },
    })
    await probe(remote.id, null)
    const after = await services.handlers['monitor.report']({ projectId })
    const unscored = after.generations.find((g) => g.id === remote.id)
    expect(unscored?.probedAt).not.toBeNull()
    expect(unscored?.metrics?.heldOut?.perplexity ?? null).toBeNull()
  })
})

describe('collapse monitor: embedding metrics', () => {
  it('embeds through an Ollama embedding model and charts the embedding metrics with bands', async () => {
    const embedder: EmbeddingModel = { engine: 'ollama', host: ollama.url, model: 'embedder:latest' }
    const base = await register('base', null)
    const again = await register('same weights', base.id)
    await probe(base.id, embedder)
    await probe(again.id, embedder)
    // 12 continuations and 5 references per probe, in batches.
    expect(ollama.counts.get('embed')).toBe(4)

    const report = await services.handlers['monitor.report']({ projectId })
    expect(report.embeddingNote).toBeNull()
    expect(report.embeddingModel).toEqual(embedder)
    const [g0, g1] = report.generations
    const summary = g0!.embedding!.summary!
    expect(summary).toMatchObject({ samples: 12, referenceTexts: 5, dimensions: 8, mauve: null })
    expect(summary.mauveNote).toMatch(/at least 1000 embeddings per side; got 12 samples and 5 reference/)
    expect(summary.vendi2!).toBeGreaterThanOrEqual(1)
    expect(summary.vendi2!).toBeLessThanOrEqual(12)
    expect(summary.vendi1!).toBeGreaterThanOrEqual(summary.vendi2! - 1e-9)
    expect(summary.meanPairwiseCosineDistance!).toBeGreaterThan(0)
    expect(summary.withinInputSpread).not.toBeNull()
    expect(summary.centroid).toHaveLength(8)
    // Same weights and seeds: the same texts, so no drift from generation 0.
    expect(g1!.embedding!.centroidDriftToGeneration0).toBe(0)
    expect(g1!.embedding!.summary).toEqual(summary)

    const keys = reportSeries(report).map((s) => s.key)
    for (const key of [
      'embedding.vendi2',
      'embedding.vendi1',
      'embedding.meanPairwiseCosineDistance',
      'embedding.withinInputSpread',
      'embedding.centroidDriftToReference',
      'embedding.mmd2ToReference',
      'embedding.centroidDriftToGeneration0',
    ])
      expect(keys).toContain(key)
    expect(keys).not.toContain('embedding.mauve')
    const vendi = reportSeries(report).find((s) => s.key === 'embedding.vendi2')!
    for (const point of vendi.points) {
      expect(point.low!).toBeLessThanOrEqual(point.value)
      expect(point.high!).toBeGreaterThanOrEqual(point.value)
    }
  }, 120_000)

  it('without an embedding model, says so and how to set one; a wrong one is reported, the probe kept', async () => {
    const base = await register('base', null)
    await probe(base.id, null)
    let report = await services.handlers['monitor.report']({ projectId })
    expect(report.generations[0]!.embedding).toBeNull()
    expect(report.embeddingNote).toMatch(/^No embedding model is configured/)
    expect(report.embeddingNote).toMatch(/Probe with embeddings.*nomic-embed-text/)
    expect(reportSeries(report).some((s) => s.key.startsWith('embedding.'))).toBe(false)

    await probe(base.id, { engine: 'ollama', host: ollama.url, model: 'no-such-embedder' })
    report = await services.handlers['monitor.report']({ projectId })
    expect(report.generations[0]!.embedding!.error).toMatch(/no-such-embedder/)
    expect(report.generations[0]!.metrics!.text.samples).toBe(12)
    expect(report.embeddingNote).toMatch(/^Embedding failed/)

    await expect(
      services.handlers['monitor.probe']({
        projectId,
        generationId: base.id,
        embedding: { engine: 'ollama', host: 'http://192.0.2.1:11434', model: 'embedder:latest' },
      }),
    ).rejects.toThrow(/is not this machine/)
  }, 120_000)

  it('embeds with the embedded engine from a GGUF file', async () => {
    const base = await register('base', null)
    await probe(base.id, { engine: 'llamacpp', host: null, model: MODEL })
    const report = await services.handlers['monitor.report']({ projectId })
    const embedding = report.generations[0]!.embedding!
    expect(embedding.error).toBeNull()
    expect(embedding.summary!.samples).toBe(12)
    expect(embedding.summary!.dimensions).toBeGreaterThan(1)
  }, 120_000)
})
