// Generation with the embedded llama.cpp engine and the real tiny model (../shared/models/stories260K.gguf):
// every slot completes with llama.cpp provenance and the file's digest, the same seeds give the same text in
// a second job, and models.inspectGguf reads the GGUF metadata (or says the file is missing).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { generationSpecFor } from '../factories/generation-spec'
import { readLogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import { jsonlImportSpec } from '../factories/import-spec'

const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')
const DIGEST = 'sha256:270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d'

describe('generation with an embedded model', () => {
  let work: string
  let services: AppServices

  beforeEach(async () => {
    work = await tempDir('generation-embedded')
    services = await openTestServices(join(work, 'data'))
  })
  afterEach(async () => {
    await services.close()
    await cleanup(work)
  })

  async function candidatesOf(projectId: string, jobId: string): Promise<CandidateRecord[]> {
    const { events } = await services.handlers['log.read']({
      projectId,
      afterSeq: 0,
      maxEvents: 1000,
      maxBytes: 8 << 20,
    })
    return events
      .flatMap((event) => {
        const typed = readLogEvent(event)
        return typed?.kind === 'candidates.recorded' ? typed.data.candidates : []
      })
      .filter((candidate) => candidate.jobId === jobId)
  }

  it('fills the grid through llama.cpp, reproducibly', async () => {
    const corpus = join(work, 'corpus.jsonl')
    await writeFile(
      corpus,
      [
        JSON.stringify({ id: 's0', text: 'Once upon a time, there was a little girl named Lily.' }),
        JSON.stringify({ id: 's1', text: 'One day, a big dog saw a red ball in the park.' }),
      ].join('\n'),
    )
    const project = await services.handlers['projects.create']({ name: 'embedded' })
    const imported = await services.handlers['import.start']({
      projectId: project.id,
      spec: jsonlImportSpec(corpus),
    })
    await jobSettled(services, imported.jobId)

    const spec = generationSpecFor('http://127.0.0.1:11434', {
      template: {
        id: 'continue',
        name: 'Continue',
        description: 'Raw completion.',
        mode: 'raw',
        system: null,
        template: '{{text}}',
      },
      models: [{ engine: 'llamacpp', modelPath: MODEL, model: 'stories260K.gguf' }],
      temperatures: [0.8],
      candidatesPerCell: 2,
      maxTokens: 16,
      logprobsTopK: null,
    })
    const texts: Map<string, string>[] = []
    for (let run = 0; run < 2; run++) {
      const { jobId, candidates: planned } = await services.handlers['generation.start']({
        projectId: project.id,
        spec,
      })
      expect(planned).toBe(4)
      const job = await jobSettled(services, jobId)
      expect(job.status).toBe('done')
      expect(job.result).toMatchObject({ complete: 4, partial: 0, failed: 0 })
      const candidates = await candidatesOf(project.id, jobId)
      expect(candidates).toHaveLength(4)
      for (const candidate of candidates) {
        expect(candidate.status).toBe('complete')
        expect(candidate.text.length).toBeGreaterThan(0)
        expect(candidate.provenance).toMatchObject({
          engine: 'llamacpp',
          host: null,
          model: 'stories260K.gguf',
          modelDigest: DIGEST,
          templateId: 'continue',
        })
        expect(candidate.provenance.engineVersion).toMatch(/^node-llama-cpp /)
        expect(candidate.provenance.prompt.mode).toBe('raw')
      }
      texts.push(new Map(candidates.map((candidate) => [candidate.slot, candidate.text])))
    }
    expect(texts[1]).toEqual(texts[0])
  })

  it('inspects a GGUF file, and says when there is none', async () => {
    const info = await services.handlers['models.inspectGguf']({ path: MODEL })
    expect(info).toMatchObject({
      name: 'stories260K.gguf',
      path: MODEL,
      architecture: 'llama',
      vocabularySize: 512,
      digest: DIGEST,
    })
    expect(info.contextLength).toBeGreaterThan(0)
    expect(info.fileSizeBytes).toBeGreaterThan(0)
    const missing = join(work, 'missing.gguf')
    await expect(services.handlers['models.inspectGguf']({ path: missing })).rejects.toMatchObject({
      code: 'not-found',
      message: `There is no model file at ${missing}.`,
    })
  })
})
