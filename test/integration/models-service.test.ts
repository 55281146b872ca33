// Models and templates channels against the protocol-faithful fake Ollama server: status up and down (with
// what to do), the installed list, a pull job streaming byte progress to done, delete, the remote-host
// opt-in, and the five shipped templates with their hashes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { openTestServices } from '../fakes/test-services'
import { AppFailure } from '@shared/ipc/result'
import { templateHash } from '@shared/domain/prompt-template'
import type { JobSnapshot } from '@shared/jobs/job'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { cleanup, freePort, tempDir } from '../e2e/harness'

describe('models and templates services', () => {
  let work: string
  let ollama: FakeOllamaServer
  let services: AppServices

  beforeAll(async () => {
    ollama = await new FakeOllamaServer().start()
  })
  afterAll(async () => ollama.stop())
  beforeEach(async () => {
    work = await tempDir('models')
    services = await openTestServices(join(work, 'data'))
  })
  afterEach(async () => {
    await services.close()
    await cleanup(work)
  })

  const finished = (jobId: string, seen: JobSnapshot[]): Promise<JobSnapshot> =>
    new Promise((resolve) => {
      const stop = services.events.subscribe((name, payload) => {
        const job = payload as JobSnapshot
        if (name !== 'jobs.changed' || job.id !== jobId) return
        seen.push(job)
        if (['done', 'failed', 'cancelled'].includes(job.status)) {
          stop()
          resolve(job)
        }
      })
    })

  it('reports a running host with its version', async () => {
    const status = await services.handlers['models.status']({ host: ollama.url, allowRemoteHost: false })
    expect(status).toEqual({ reachable: true, version: ollama.version, message: null })
  })

  it('says how to start Ollama when nothing listens', async () => {
    const host = `http://127.0.0.1:${await freePort()}`
    const status = await services.handlers['models.status']({ host, allowRemoteHost: false })
    expect(status.reachable).toBe(false)
    expect(status.message).toBe(`Ollama is not running at ${host}: start it with \`ollama serve\`.`)
    await expect(services.handlers['models.list']({ host, allowRemoteHost: false })).rejects.toThrow(
      /not running/,
    )
  })

  it('lists the installed models with their details', async () => {
    const models = await services.handlers['models.list']({ host: ollama.url, allowRemoteHost: false })
    const tiny = models.find((m) => m.name === 'tiny:latest')
    expect(models.map((m) => m.name)).toEqual([...ollama.models.map((m) => m.name)].sort())
    expect(tiny).toMatchObject({ family: 'llama', quantization: 'Q8_0', parameterSize: '260K' })
    expect(tiny?.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(tiny?.sizeBytes).toBeGreaterThan(0)
  })

  it('pulls a model as a job whose byte progress reaches the total', async () => {
    const project = await services.registry.create('Pulls')
    const seen: JobSnapshot[] = []
    const { jobId } = await services.handlers['models.pull']({
      projectId: project.id,
      host: ollama.url,
      name: 'fresh:1b',
      allowRemoteHost: false,
    })
    const job = await finished(jobId, seen)
    expect(job.status).toBe('done')
    expect(job.kind).toBe('pull')
    const last = seen.filter((s) => s.progress !== null).at(-1)
    expect(last?.progress?.total).toBeGreaterThan(0)
    expect(last?.progress?.done).toBe(last?.progress?.total)
    const names = (await services.handlers['models.list']({ host: ollama.url, allowRemoteHost: false })).map(
      (m) => m.name,
    )
    expect(names).toContain('fresh:1b')
    expect(await services.handlers['jobs.list']({ projectId: project.id })).toHaveLength(1)
  })

  it('deletes a model, and says so when it is not there', async () => {
    ollama.models.push({ ...ollama.models[0]!, name: 'doomed:latest' })
    const request = { host: ollama.url, name: 'doomed:latest', allowRemoteHost: false }
    expect(await services.handlers['models.delete'](request)).toEqual({ deleted: true })
    expect(ollama.models.some((m) => m.name === 'doomed:latest')).toBe(false)
    await expect(services.handlers['models.delete'](request)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses a host that is not this machine unless the request opts in', async () => {
    const host = 'http://192.0.2.1:11434'
    const before = ollama.count('version')
    for (const call of [
      () => services.handlers['models.status']({ host, allowRemoteHost: false }),
      () => services.handlers['models.list']({ host, allowRemoteHost: false }),
      () => services.handlers['models.delete']({ host, name: 'tiny', allowRemoteHost: false }),
    ]) {
      const error: unknown = await call().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppFailure)
      expect(error).toMatchObject({ code: 'forbidden' })
    }
    expect(ollama.count('version')).toBe(before)
  })

  it('lists the five shipped templates with their hashes', async () => {
    const templates = await services.handlers['templates.list']({})
    expect(templates.map((t) => t.template.id)).toEqual([
      'continue',
      'fix-errors',
      'formalise',
      'paraphrase',
      'simplify',
    ])
    for (const { template, hash } of templates) expect(hash).toBe(templateHash(template))
  })
})
