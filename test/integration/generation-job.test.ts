// The generation job against the protocol-faithful fake Ollama server: every grid slot becomes one candidate
// with its full provenance in the project log; a broken stream is recorded as partial, never complete; and
// main killed mid-job then resumed gives every slot exactly one complete candidate.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { cleanup, freePort, startHost, tempDir } from '../e2e/harness'
import { LoopbackClient } from '../e2e/loopback-client'
import { generationSpecFor } from '../factories/generation-spec'
import { readLogEvent, type LogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { JobSnapshot } from '@shared/jobs/job'
import { templateHash } from '@shared/domain/prompt-template'

type ReadLog = (afterSeq: number) => Promise<{ events: LogEvent[] }>

async function candidatesIn(read: ReadLog): Promise<CandidateRecord[]> {
  const candidates: CandidateRecord[] = []
  for (let after = 0; ;) {
    const { events } = await read(after)
    if (events.length === 0) return candidates
    for (const event of events) {
      const typed = readLogEvent(event)
      if (typed?.kind === 'candidates.recorded') candidates.push(...typed.data.candidates)
    }
    after = events.at(-1)!.seq
  }
}

async function writeCorpus(path: string, count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `s${i}`, text: `Story ${i}: a fox.` }),
  )
  await writeFile(path, lines.join('\n'))
}

const importSpec = (path: string) => ({
  path,
  format: 'jsonl' as const,
  textField: 'text',
  idField: 'id',
  origin: { kind: 'declared' as const, value: 'human' as const },
})

describe('generation job', () => {
  let work: string
  let ollama: FakeOllamaServer
  let services: AppServices

  beforeAll(async () => {
    ollama = await new FakeOllamaServer().start()
  })
  afterAll(async () => ollama.stop())
  beforeEach(async () => {
    work = await tempDir('generation')
    services = await openTestServices(join(work, 'data'))
  })
  afterEach(async () => {
    await services.close()
    await cleanup(work)
  })

  async function projectWithSamples(count: number): Promise<string> {
    await writeCorpus(join(work, 'corpus.jsonl'), count)
    const project = await services.handlers['projects.create']({ name: 'g' })
    const { jobId } = await services.handlers['import.start']({
      projectId: project.id,
      spec: importSpec(join(work, 'corpus.jsonl')),
    })
    await jobSettled(services, jobId)
    return project.id
  }

  it('fills every slot of the grid once, with full provenance', async () => {
    const projectId = await projectWithSamples(5)
    const spec = generationSpecFor(ollama.url, {
      models: [
        { engine: 'ollama', host: ollama.url, model: 'tiny:latest' },
        { engine: 'ollama', host: ollama.url, model: 'thinker:latest' },
      ],
    })
    const { jobId, candidates: planned } = await services.handlers['generation.start']({ projectId, spec })
    expect(planned).toBe(5 * 2 * 2 * 3)
    const job = await jobSettled(services, jobId)
    expect(job.status).toBe('done')
    expect(job.result).toMatchObject({ complete: 60, partial: 0, failed: 0, skipped: 0 })

    const candidates = await candidatesIn((afterSeq) =>
      services.handlers['log.read']({ projectId, afterSeq, maxEvents: 1000, maxBytes: 8 << 20 }),
    )
    expect(candidates).toHaveLength(60)
    expect(new Set(candidates.map((candidate) => candidate.slot)).size).toBe(60)
    for (const candidate of candidates) {
      expect(candidate.status).toBe('complete')
      expect(candidate.text.length).toBeGreaterThan(0)
      expect(candidate.provenance).toMatchObject({
        engine: 'ollama',
        host: ollama.url,
        templateId: 'paraphrase',
        templateHash: templateHash(spec.template),
        logprobsTopK: 3,
        attempt: 1,
        generationId: 0,
      })
      expect(candidate.provenance.modelDigest).toMatch(/^(sha256:)?[0-9a-f]{64}$/)
      expect(candidate.provenance.engineVersion).toBe(ollama.version)
      expect(candidate.provenance.prompt.mode).toBe('chat')
      expect(candidate.logprobs?.tokens.length).toBeGreaterThan(0)
      expect(candidate.logprobs?.tokens.join('')).toBe(candidate.text)
      expect(candidate.logprobSummary?.meanTop1Probability).toBeGreaterThan(0)
    }
    const seeds = new Set(candidates.map((candidate) => candidate.provenance.sampling.seed))
    expect(seeds).toEqual(new Set([42, 43, 44]))
  })

  it('records a broken stream as partial with its reason, never as complete', async () => {
    const projectId = await projectWithSamples(1)
    ollama.fail('chat', { kind: 'malformed', afterChunks: 2 })
    const spec = generationSpecFor(ollama.url, {
      models: [{ engine: 'ollama', host: ollama.url, model: 'tiny:latest' }],
      temperatures: [1],
      candidatesPerCell: 2,
      concurrency: 1,
    })
    const { jobId } = await services.handlers['generation.start']({ projectId, spec })
    const job = await jobSettled(services, jobId)
    expect(job.result).toMatchObject({ complete: 1, partial: 1, failed: 0 })
    const candidates = await candidatesIn((afterSeq) =>
      services.handlers['log.read']({ projectId, afterSeq, maxEvents: 1000, maxBytes: 8 << 20 }),
    )
    const partial = candidates.find((candidate) => candidate.status === 'partial')!
    expect(partial.failure?.kind).toBe('malformed')
    expect(partial.text.length).toBeGreaterThan(0)
  })

  it('retries only the failed and partial slots of a finished job, as attempt 2', async () => {
    const projectId = await projectWithSamples(2)
    ollama.fail('chat', { kind: 'malformed', afterChunks: 2 })
    ollama.fail('chat', { kind: 'not-found' })
    const spec = generationSpecFor(ollama.url, {
      models: [{ engine: 'ollama', host: ollama.url, model: 'tiny:latest' }],
      temperatures: [1],
      candidatesPerCell: 2,
      concurrency: 1,
    })
    const { jobId } = await services.handlers['generation.start']({ projectId, spec })
    const first = await jobSettled(services, jobId)
    expect(first.status).toBe('done')
    expect(first.result).toMatchObject({
      complete: 2,
      partial: 1,
      failed: 1,
      failureKinds: { malformed: 1, 'not-found': 1 },
    })

    const requestsBefore = ollama.count('chat')
    await services.handlers['jobs.resume']({ jobId })
    const retried = await jobSettled(services, jobId)
    expect(retried.result).toMatchObject({ complete: 2, partial: 0, failed: 0, skipped: 2, failureKinds: {} })
    expect(ollama.count('chat') - requestsBefore).toBe(2)
    const candidates = await candidatesIn((afterSeq) =>
      services.handlers['log.read']({ projectId, afterSeq, maxEvents: 1000, maxBytes: 8 << 20 }),
    )
    const complete = candidates.filter((candidate) => candidate.status === 'complete')
    expect(new Set(complete.map((candidate) => candidate.slot)).size).toBe(4)
    expect(complete).toHaveLength(4)
    expect(complete.filter((candidate) => candidate.provenance.attempt === 2)).toHaveLength(2)

    // Nothing left to retry: a third run is refused.
    await expect(services.handlers['jobs.resume']({ jobId })).rejects.toThrow(/stopped job/)
  })
})

describe('generation after main is killed mid-job', () => {
  let work: string
  let ollama: FakeOllamaServer
  beforeAll(async () => {
    work = await tempDir('generation-kill')
    ollama = await new FakeOllamaServer().start()
  })
  afterAll(async () => {
    await ollama.stop()
    await cleanup(work)
  })

  it('resumes with no candidate lost or doubled', async () => {
    await writeCorpus(join(work, 'corpus.jsonl'), 10)
    const dataDir = join(work, 'data')
    const port = await freePort()
    let host = await startHost(dataDir, port)
    let client = await LoopbackClient.connect(host)
    const project = await client.call('projects.create', { name: 'kill' })
    const imported = client.waitFor<JobSnapshot>('jobs.changed', (job) => job.status === 'done')
    await client.call('import.start', { projectId: project.id, spec: importSpec(join(work, 'corpus.jsonl')) })
    await imported
    // Slow tokens so the kill lands mid-job.
    ollama.standing = { kind: 'slow', delayMs: 15 }
    const spec = generationSpecFor(ollama.url, {
      models: [
        { engine: 'ollama', host: ollama.url, model: 'tiny:latest' },
        { engine: 'ollama', host: ollama.url, model: 'thinker:latest' },
      ],
    })
    const progressed = client.waitFor<JobSnapshot>(
      'jobs.changed',
      (job) => (job.progress?.counts.complete ?? 0) >= 20,
    )
    const { jobId, candidates: planned } = await client.call('generation.start', {
      projectId: project.id,
      spec,
    })
    expect(planned).toBe(120)
    await progressed
    await host.kill()
    ollama.standing = null

    host = await startHost(dataDir, port)
    client = await LoopbackClient.connect(host)
    const before = await candidatesIn((afterSeq) =>
      client.call('log.read', { projectId: project.id, afterSeq, maxBytes: 8 << 20 }),
    )
    expect(before.length).toBeGreaterThan(0)
    expect(before.length).toBeLessThan(120)
    const jobs = await client.call('jobs.list', { projectId: project.id })
    expect(jobs.find((job) => job.id === jobId)?.status).toBe('interrupted')
    const finished = client.waitFor<JobSnapshot>(
      'jobs.changed',
      (job) => job.id === jobId && job.status === 'done',
    )
    await client.call('jobs.resume', { jobId })
    const done = await finished
    const after = await candidatesIn((afterSeq) =>
      client.call('log.read', { projectId: project.id, afterSeq, maxBytes: 8 << 20 }),
    )
    const complete = after.filter((candidate) => candidate.status === 'complete')
    expect(new Set(complete.map((candidate) => candidate.slot)).size).toBe(120)
    expect(complete).toHaveLength(120)
    expect(done.result).toMatchObject({ skipped: before.filter((c) => c.status === 'complete').length })
    client.close()
    await host.stop()
  })
})
