// The projection applies log pages idempotently (by seq and by id) in one transaction per page, refuses
// gaps, skips kinds it does not know, and clears a project completely for a rebuild.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import {
  applyEvents,
  clearProject,
  ProjectionGapError,
  ProjectionLogMismatchError,
} from '../../../src-renderer/db/projection'
import { getBatch, listBatches } from '../../../src-renderer/db/repos/import-batches.repo'
import { listJobs } from '../../../src-renderer/db/repos/jobs.repo'
import { getProject } from '../../../src-renderer/db/repos/projects.repo'
import { countSampleRows } from '../../../src-renderer/db/repos/samples.repo'
import { getSentinel } from '../../../src-renderer/db/repos/sentinel.repo'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeCandidate, makeJob, makeSample } from '../../factories/log-events'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

/** Every row of every table, for "nothing else changed" comparisons. */
async function dump(): Promise<Record<string, unknown[]>> {
  return {
    projects: await db.projects.toArray(),
    samples: await db.samples.toArray(),
    importBatches: await db.importBatches.toArray(),
    jobs: await db.jobs.toArray(),
    candidates: await db.candidates.toArray(),
    sentinel: await db.sentinel.toArray(),
  }
}

function projectLog(): FakeProjectLog {
  const log = new FakeProjectLog()
  log.append('project.created', { name: 'Demo', settings: { maxFieldBytes: 1024 * 1024 } })
  const { samples } = appendImport(log, { count: 120, perEvent: 25 })
  log.append('candidates.recorded', { candidates: [makeCandidate(samples[0]!.id)] })
  return log
}

describe('applyEvents', () => {
  it('applies a page and records the sentinel in the same transaction', async () => {
    const log = projectLog()
    const outcome = await applyEvents(db, log.projectId, log.page(0), log.head())
    expect(outcome).toEqual({ applied: log.events.length, newSamples: 120 })
    expect(await countSampleRows(db, log.projectId)).toBe(120)
    expect(await getSentinel(db, log.projectId)).toEqual({ projectId: log.projectId, ...log.head() })
    expect((await getProject(db, log.projectId))?.name).toBe('Demo')
  })

  it('is idempotent: the same page twice leaves the same rows and the same sentinel', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.page(0), log.head())
    const once = await dump()
    const again = await applyEvents(db, log.projectId, log.page(0), log.head())
    expect(again).toEqual({ applied: 0, newSamples: 0 })
    expect(await dump()).toEqual(once)
  })

  it('applies overlapping pages as if they had not overlapped', async () => {
    const log = projectLog()
    appendImport(log, { count: 60, perEvent: 10, origin: 'model' })
    const total = log.events.length

    await applyEvents(db, log.projectId, log.events.slice(0, 6), log.head())
    await applyEvents(db, log.projectId, log.events.slice(3, 12), log.head())
    await applyEvents(db, log.projectId, log.events.slice(0, total), log.head())
    const overlapped = await dump()

    db.close()
    db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(overlapped).toEqual(await dump())
    expect((await getSentinel(db, log.projectId))?.sampleCount).toBe(180)
  })

  it('throws on a gap and writes nothing from that page', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.events.slice(0, 3), log.head())
    const before = await dump()
    const gapped = log.events.slice(4, 8) // event 4 is missing
    await expect(applyEvents(db, log.projectId, gapped, log.head())).rejects.toBeInstanceOf(
      ProjectionGapError,
    )
    const outOfOrder = [log.events[3]!, log.events[5]!, log.events[4]!]
    await expect(applyEvents(db, log.projectId, outOfOrder, log.head())).rejects.toBeInstanceOf(
      ProjectionGapError,
    )
    expect(await dump()).toEqual(before)
  })

  it('rolls back the whole page when one event in it cannot be read', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.events.slice(0, 2), log.head())
    const before = await dump()
    const broken = structuredClone(log.events.slice(2, 6))
    broken[3] = { ...broken[3]!, data: { batchId: 'x', samples: [{ id: 'no other fields' }] } }
    await expect(applyEvents(db, log.projectId, broken, log.head())).rejects.toThrow()
    expect(await dump()).toEqual(before)
  })

  it('refuses a page from a different log', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.page(0), log.head())
    const other = { ...log.head(), logId: randomUUID() }
    await expect(applyEvents(db, log.projectId, log.page(0), other)).rejects.toBeInstanceOf(
      ProjectionLogMismatchError,
    )
  })

  it('skips kinds and versions it does not know, but moves past them', async () => {
    const log = new FakeProjectLog()
    log.append('project.created', { name: 'Demo', settings: { maxFieldBytes: 2048 } })
    log.appendUnknown('model.registered')
    log.appendUnknown('project.renamed', 99)
    log.append('project.renamed', { name: 'Renamed' })
    const outcome = await applyEvents(db, log.projectId, log.events, log.head())
    expect(outcome.applied).toBe(4)
    expect((await getProject(db, log.projectId))?.name).toBe('Renamed')
    expect((await getSentinel(db, log.projectId))?.lastSeq).toBe(4)
  })

  it('follows an import batch from start to finish, newest batch first', async () => {
    const log = new FakeProjectLog()
    const first = appendImport(log, { count: 3 })
    await applyEvents(db, log.projectId, log.events.slice(0, 2), log.head())
    expect((await getBatch(db, log.projectId, first.batchId))?.status).toBe('running')
    const second = appendImport(log, { count: 2, origin: 'model' })
    await applyEvents(db, log.projectId, log.events, log.head())
    const batches = await listBatches(db, log.projectId)
    expect(batches.map((batch) => batch.id)).toEqual([second.batchId, first.batchId])
    expect(batches[1]).toMatchObject({ status: 'done', counts: { imported: 3 }, fileName: 'corpus.jsonl' })
    expect(batches[1]?.finishedAt).not.toBeNull()
  })

  it('keeps the log’s latest snapshot of each job', async () => {
    const log = new FakeProjectLog()
    const job = makeJob(log.projectId)
    log.append('job.changed', { job })
    log.append('job.changed', { job: { ...job, status: 'done', updatedAt: '2025-01-01T00:01:00.000Z' } })
    await applyEvents(db, log.projectId, log.events.slice(0, 1), log.head())
    await applyEvents(db, log.projectId, log.events, log.head())
    expect((await listJobs(db, log.projectId)).map((row) => row.status)).toEqual(['done'])
  })
})

describe('clearProject', () => {
  it('removes every row and the sentinel of one project, and nothing of another', async () => {
    const kept = projectLog()
    const cleared = projectLog()
    cleared.append('job.changed', { job: makeJob(cleared.projectId) })
    await applyEvents(db, kept.projectId, kept.events, kept.head())
    const keptRows = await dump()
    await applyEvents(db, cleared.projectId, cleared.events, cleared.head())

    await clearProject(db, cleared.projectId)
    expect(await dump()).toEqual(keptRows)
    expect(await getSentinel(db, cleared.projectId)).toBeUndefined()
  })

  it('empties the tables when no other project has a sentinel (rows without one are orphans)', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.events, log.head())
    const orphans = projectLog()
    await applyEvents(db, orphans.projectId, orphans.events, orphans.head())
    await db.sentinel.delete(orphans.projectId) // a partial loss: that project will rebuild when opened
    await clearProject(db, log.projectId)
    expect(await dump()).toEqual({
      projects: [],
      samples: [],
      importBatches: [],
      jobs: [],
      candidates: [],
      sentinel: [],
    })
  })

  it('leaves a store that a replay from the start restores exactly', async () => {
    const log = projectLog()
    await applyEvents(db, log.projectId, log.events, log.head())
    const original = await dump()
    await clearProject(db, log.projectId)
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(await dump()).toEqual(original)
  })
})

it('uses the sample records as they are in the log', async () => {
  const log = new FakeProjectLog()
  const sample = makeSample(1, randomUUID(), 'unknown', 'RTL \u202e text, NUL \u0000 and 🦊')
  log.append('samples.imported', { batchId: sample.batchId, samples: [sample] })
  await applyEvents(db, log.projectId, log.events, log.head())
  expect(await db.samples.get([log.projectId, sample.id])).toEqual({ ...sample, projectId: log.projectId })
})
