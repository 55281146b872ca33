// A job left running by a process that died is marked interrupted and resumes exactly: main is killed with
// SIGKILL in the middle of an import, restarted, the job resumed, and the log then holds every good record
// once — no sample lost, none twice, positions contiguous — with the same counts as an uninterrupted import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFile, readdir } from 'node:fs/promises'
import { cleanup, freePort, startHost, tempDir } from '../e2e/harness'
import { LoopbackClient } from '../e2e/loopback-client'
import { writeDamagedJsonl } from '../factories/corpus-files'
import { readLogEvent, type LogEvent } from '@shared/domain/log-events'
import type { JobSnapshot } from '@shared/jobs/job'

const lines = 150_000
const bad = 150

describe('resuming an import after main was killed', () => {
  let work: string

  beforeAll(async () => {
    work = await tempDir('resume')
  })
  afterAll(async () => cleanup(work))

  it('imports every good record exactly once', async () => {
    const file = await writeDamagedJsonl(join(work, 'corpus.jsonl'), lines, bad)
    const dataDir = join(work, 'data')
    const port = await freePort()
    const spec = {
      path: file.path,
      format: 'jsonl' as const,
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared' as const, value: 'human' as const },
    }

    let host = await startHost(dataDir, port)
    let client = await LoopbackClient.connect(host)
    const project = await client.call('projects.create', { name: 'resume' })
    const checkpointed = client.waitFor<JobSnapshot>('jobs.changed', (job) => job.checkpoint !== null)
    const { jobId } = await client.call('import.start', { projectId: project.id, spec })
    // Kill between two checkpoints, with batches already in the log after the first: the resume point must
    // come from the log itself, not from the job's last checkpoint.
    const first = (await checkpointed).checkpoint as { counts: { imported: number } }
    await client.waitFor<JobSnapshot>(
      'jobs.changed',
      (job) => (job.progress?.counts.imported ?? 0) >= first.counts.imported + 6_000,
    )
    await host.kill()

    host = await startHost(dataDir, port)
    client = await LoopbackClient.connect(host)
    const jobs = await client.call('jobs.list', { projectId: project.id })
    const interrupted = jobs.find((job) => job.id === jobId)
    expect(interrupted?.status).toBe('interrupted')
    const headBefore = await client.call('log.head', { projectId: project.id })
    // The kill must land mid-import for this test to mean anything.
    expect(headBefore.sampleCount).toBeGreaterThan(0)
    expect(headBefore.sampleCount).toBeLessThan(file.goodCount)

    const finished = client.waitFor<JobSnapshot>(
      'jobs.changed',
      (job) => job.id === jobId && job.status === 'done',
    )
    await client.call('jobs.resume', { jobId })
    const done = await finished
    expect(done.result).toEqual({ read: lines, imported: file.goodCount, duplicates: 0, rejected: bad })

    const events: LogEvent[] = []
    for (let after = 0; ;) {
      const page = await client.call('log.read', {
        projectId: project.id,
        afterSeq: after,
        maxBytes: 16 << 20,
      })
      if (page.events.length === 0) break
      events.push(...page.events)
      after = page.events.at(-1)!.seq
    }
    const samples = events.flatMap((event) => {
      const typed = readLogEvent(event)
      return typed?.kind === 'samples.imported' ? typed.data.samples : []
    })
    expect(samples).toHaveLength(file.goodCount)
    expect(new Set(samples.map((sample) => sample.contentHash)).size).toBe(file.goodCount)
    expect(samples.map((sample) => sample.ord)).toEqual(samples.map((_, index) => index + 1))
    const goodLines = samples.map((sample) => sample.line)
    const expectedLines = Array.from({ length: lines }, (_, i) => i + 1).filter(
      (line) => !file.badLines.includes(line),
    )
    expect(goodLines).toEqual(expectedLines)

    const projectDir = join(dataDir, 'projects', project.id, 'imports')
    const [errorFile] = await readdir(projectDir)
    const errorLines = (await readFile(join(projectDir, errorFile!), 'utf8')).trim().split('\n')
    expect(errorLines.map((line) => Number(line.split(':')[1]))).toEqual(file.badLines)

    client.close()
    await host.stop()
  })
})
