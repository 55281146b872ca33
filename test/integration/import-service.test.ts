// The import path in Node, through the same handlers the transports call: counts, located errors,
// idempotent re-import, the log as the record, and jobs left running by a dead process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import type { AppServices } from '../../src-main/services/app-services'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { writeCsvWithRunawayQuote, writeDamagedJsonl } from '../factories/corpus-files'
import type { JobSnapshot } from '@shared/jobs/job'
import { readLogEvent } from '@shared/domain/log-events'

describe('import service', () => {
  let work: string
  let services: AppServices

  beforeEach(async () => {
    work = await tempDir('import-service')
    services = await openTestServices(join(work, 'data'))
  })
  afterEach(async () => {
    await services.close()
    await cleanup(work)
  })

  async function runImport(projectId: string, path: string, format: 'jsonl' | 'csv'): Promise<JobSnapshot> {
    const spec = {
      path,
      format,
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared' as const, value: 'human' as const },
    }
    const { jobId } = await services.handlers['import.start']({ projectId, spec })
    return jobSettled(services, jobId)
  }

  it('imports exactly the good lines, records located errors, and re-import adds nothing', async () => {
    const file = await writeDamagedJsonl(join(work, 'corpus.jsonl'), 2_000, 20)
    const project = await services.handlers['projects.create']({ name: 'p' })
    const job = await runImport(project.id, file.path, 'jsonl')
    expect(job.status).toBe('done')
    expect(job.result).toEqual({ read: 2_000, imported: 1_980, duplicates: 0, rejected: 20 })

    const again = await runImport(project.id, file.path, 'jsonl')
    expect(again.result).toEqual({ read: 2_000, imported: 0, duplicates: 1_980, rejected: 20 })

    const head = await services.handlers['log.head']({ projectId: project.id })
    expect(head.sampleCount).toBe(1_980)
    const events = []
    for (let after = 0; after < head.lastSeq;) {
      const page = await services.handlers['log.read']({
        projectId: project.id,
        afterSeq: after,
        maxEvents: 1000,
        maxBytes: 8 << 20,
      })
      events.push(...page.events)
      after = page.events.at(-1)!.seq
    }
    const finished = events.map(readLogEvent).filter((event) => event?.kind === 'import.batchFinished')
    expect(finished).toHaveLength(2)
    const first = finished[0]!
    if (first.kind !== 'import.batchFinished') throw new Error('unreachable')
    expect(first.data.errors.map((error) => error.line)).toEqual(file.badLines)
    const samples = events.flatMap((event) => {
      const typed = readLogEvent(event)
      return typed?.kind === 'samples.imported' ? typed.data.samples : []
    })
    expect(new Set(samples.map((sample) => sample.contentHash)).size).toBe(1_980)
    expect(samples.map((sample) => sample.ord)).toEqual(samples.map((_, index) => index + 1))
    const polluted = samples.find((sample) => Object.hasOwn(sample.meta, '__proto__'))
    expect(polluted).toBeDefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('loses exactly one CSV record to a runaway quote, and writes the error file', async () => {
    const file = await writeCsvWithRunawayQuote(join(work, 'table.csv'), 3_000, 1_500)
    const project = await services.handlers['projects.create']({ name: 'csv' })
    const job = await runImport(project.id, file.path, 'csv')
    expect(job.result).toMatchObject({ imported: 2_999, rejected: 1 })
    const saved = await services.handlers['import.saveErrors']({
      projectId: project.id,
      batchId: (job.params as { batchId: string }).batchId,
      path: join(work, 'errors.txt'),
    })
    expect(saved.errorCount).toBe(1)
    expect((await readFile(join(work, 'errors.txt'), 'utf8')).trim()).toMatch(/^table\.csv:1501: .+/)
  })

  it('rebuilds its state from the log after a restart and marks a job left running as interrupted', async () => {
    const project = await services.handlers['projects.create']({ name: 'restart' })
    const file = await writeDamagedJsonl(join(work, 'corpus.jsonl'), 500, 0)
    await runImport(project.id, file.path, 'jsonl')
    // A job persisted as running by a process that then died:
    await services.registry.append(project.id, [
      {
        kind: 'job.changed',
        data: {
          job: {
            id: 'ghost',
            projectId: project.id,
            kind: 'import',
            title: 'ghost',
            status: 'running',
            params: { projectId: project.id, batchId: 'b-ghost', spec: {} },
            progress: null,
            error: null,
            createdAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
            checkpoint: null,
            result: null,
          },
        },
      },
    ])
    await services.close()
    services = await openTestServices(join(work, 'data'))
    const [summary] = await services.handlers['projects.list']({})
    expect(summary).toMatchObject({ name: 'restart', sampleCount: 500 })
    const jobs = await services.handlers['jobs.list']({ projectId: project.id })
    expect(jobs.find((job) => job.id === 'ghost')?.status).toBe('interrupted')
  })

  it('refuses to delete a project unless its name is typed', async () => {
    const project = await services.handlers['projects.create']({ name: 'keep me' })
    await expect(
      services.handlers['projects.delete']({ projectId: project.id, confirmName: 'nope' }),
    ).rejects.toThrow(/does not match/)
    const summary = await services.handlers['projects.deletionSummary']({ projectId: project.id })
    expect(summary).toMatchObject({ name: 'keep me', sampleCount: 0 })
    await services.handlers['projects.delete']({ projectId: project.id, confirmName: 'keep me' })
    expect(await services.handlers['projects.list']({})).toEqual([])
  })
})
