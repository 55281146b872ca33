// Candidates carry the model generation that wrote them: with the real tiny model under three paths —
// registered generation 0, a registered generation 1 (its copy, as a fine-tune's output would be) and an
// unregistered copy — one generation job stamps 0 with generation 0's record, 1 with generation 1's, and 0
// without a record for the model that is not a registered generation.
import { copyFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import { readLogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { generationSpecFor } from '../factories/generation-spec'
import { jsonlImportSpec } from '../factories/import-spec'

const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')

let work: string
let services: AppServices

beforeEach(async () => {
  work = await tempDir('generation-stamping')
  services = await openTestServices(join(work, 'data'))
})
afterEach(async () => {
  await services.close()
  await cleanup(work)
})

describe('candidates carry their model generation', () => {
  it('stamps the registered generation of each target, and 0 for a model that is not one', async () => {
    const h = services.handlers
    const projectId = (await h['projects.create']({ name: 'stamping' })).id
    const corpus = join(work, 'corpus.jsonl')
    await writeFile(corpus, `${JSON.stringify({ id: 's0', text: 'Once upon a time' })}\n`)
    const imported = await h['import.start']({
      projectId,
      spec: jsonlImportSpec(corpus),
    })
    await jobSettled(services, imported.jobId)

    const trained = join(work, 'g1.gguf')
    const stranger = join(work, 'unregistered.gguf')
    await copyFile(MODEL, trained)
    await copyFile(MODEL, stranger)
    const register = (label: string, ggufPath: string, parentId: string | null) =>
      h['monitor.register']({
        projectId,
        generation: { label, parentId, engine: 'llamacpp', ggufPath, ollama: null, trainingSnapshotId: null },
      })
    const g0 = await register('stories', MODEL, null)
    const g1 = await register('stories · g1', trained, g0.id)

    const spec = generationSpecFor('http://127.0.0.1:11434', {
      template: {
        id: 'continue',
        name: 'Continue',
        description: 'Raw.',
        mode: 'raw',
        system: null,
        template: '{{text}}',
      },
      models: [
        { engine: 'llamacpp', modelPath: MODEL, model: 'g0' },
        { engine: 'llamacpp', modelPath: trained, model: 'g1' },
        { engine: 'llamacpp', modelPath: stranger, model: 'stranger' },
      ],
      temperatures: [0.8],
      candidatesPerCell: 1,
      maxTokens: 8,
      logprobsTopK: null,
    })
    const { jobId } = await h['generation.start']({ projectId, spec })
    expect((await jobSettled(services, jobId)).status).toBe('done')
    const { events } = await h['log.read']({ projectId, afterSeq: 0, maxEvents: 1000, maxBytes: 8 << 20 })
    const candidates = events.flatMap((event): CandidateRecord[] => {
      const typed = readLogEvent(event)
      return typed?.kind === 'candidates.recorded' ? typed.data.candidates : []
    })
    const stamp = (model: string) => {
      const { generationId, modelGeneration } = candidates.find(
        (c) => c.provenance.model === model,
      )!.provenance
      return { generationId, modelGeneration }
    }
    expect(stamp('g0')).toEqual({ generationId: 0, modelGeneration: { id: g0.id, label: 'stories' } })
    expect(stamp('g1')).toEqual({ generationId: 1, modelGeneration: { id: g1.id, label: 'stories · g1' } })
    expect(stamp('stranger')).toEqual({ generationId: 0, modelGeneration: undefined })
  })
})
