// A restored backup and an annotator's copy keep the original's sample, candidate, job and decision ids (the
// decisions' hash chains cover them). Both projects live in one store, so each must keep its own rows: keyed by
// id alone (schema v8 and before), opening the copy overwrote the original's rows, and opening the original
// next looked like a partial loss — a rebuild from the log and a false "data lost" notice.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sealDecision } from '@shared/domain/decision-chain'
import { uuidv7 } from '@shared/ids/uuidv7'
import type { DecisionRecord } from '@shared/domain/decision'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { listCandidatesForSample } from '../../../src-renderer/db/repos/candidates.repo'
import { getReview, listDecisionsForSample } from '../../../src-renderer/db/repos/decisions.repo'
import { listBatches } from '../../../src-renderer/db/repos/import-batches.repo'
import { listJobs } from '../../../src-renderer/db/repos/jobs.repo'
import { countSampleRows, getSample } from '../../../src-renderer/db/repos/samples.repo'
import { ProjectionSync } from '../../../src-renderer/state/projection-sync.svelte'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeCandidate, makeJob } from '../../factories/log-events'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

function decide(
  projectId: string,
  sampleId: string,
  candidateId: string | null,
  annotator: string,
  shownOrder: string[],
): DecisionRecord {
  return sealDecision(
    {
      id: uuidv7(),
      projectId,
      sampleId,
      kind: candidateId === null ? 'reject-all' : 'select',
      candidateId,
      editedText: null,
      diff: null,
      flag: null,
      note: null,
      undoes: null,
      annotator,
      at: '2026-12-06T10:00:00.000Z',
      timeSpentMs: 1000,
      shownOrder,
    },
    null,
  )
}

/** The original project, and a copy of its log under another project (as a restore writes it). */
function originalAndCopy() {
  const original = new FakeProjectLog()
  original.append('project.created', { name: 'Alice', settings: { maxFieldBytes: 1024 * 1024 } })
  const { samples } = appendImport(original, { count: 3 })
  const candidates = samples.map((sample) => makeCandidate(sample.id))
  original.append('candidates.recorded', { candidates })
  original.append('job.changed', { job: makeJob(original.projectId, { status: 'done' }) })
  const copy = new FakeProjectLog()
  copy.append('project.created', { name: 'Bob copy', settings: { maxFieldBytes: 1024 * 1024 } })
  // The same facts with the same ids, the job under the original's project id (a copied log folder).
  for (const event of original.events.slice(1)) copy.appendCopy(event)
  // Then each annotator reviews sample 0 differently in their own project.
  const chosen = candidates[0]!
  original.append('decision.recorded', {
    decision: decide(original.projectId, chosen.sampleId, chosen.id, 'alice', [chosen.id]),
  })
  copy.append('decision.recorded', {
    decision: decide(original.projectId, chosen.sampleId, null, 'bob', [chosen.id]),
  })
  return { original, copy, samples, candidates }
}

/** One sync over both logs, as the app has one store for every project. */
function syncOver(...logs: FakeProjectLog[]): ProjectionSync {
  const byProject = new Map(logs.map((log) => [log.projectId, log]))
  const logFor = (projectId: string): FakeProjectLog => byProject.get(projectId)!
  return new ProjectionSync(db, {
    api: {
      'log.head': (request) => logFor(request.projectId).api['log.head'](request),
      'log.read': (request) => logFor(request.projectId).api['log.read'](request),
    },
    onEvent: () => () => undefined,
    onReconnect: () => () => undefined,
  })
}

/** The app's sync when both projects were made in this session (the original created, the copy restored). */
function syncMadeHere(original: FakeProjectLog, copy: FakeProjectLog): ProjectionSync {
  const sync = syncOver(original, copy)
  sync.expectFirstOpen(original.projectId)
  sync.expectFirstOpen(copy.projectId)
  return sync
}

describe('the first open of a project this store never held', () => {
  it('reads a restored project silently, where a store made at this start names the same absence a loss', async () => {
    const { original, copy } = originalAndCopy()
    const restoredHere = syncOver(original, copy)
    restoredHere.expectFirstOpen(copy.projectId)
    await restoredHere.open(copy.projectId)
    expect(restoredHere.notice).toBeNull()
    expect(await countSampleRows(db, copy.projectId)).toBe(3)
    restoredHere.close()

    // The store existed before this start, so it never held the original: also silent.
    const survivedStore = new ProjectionSync(db, {
      api: original.api,
      onEvent: () => () => undefined,
      onReconnect: () => () => undefined,
      storeExistedBefore: true,
    })
    await survivedStore.open(original.projectId)
    expect(survivedStore.notice).toBeNull()
    survivedStore.close()

    // A store created at this start (Chromium discarded the old one) lacks a project with samples: a loss.
    const otherDb = (await openDatabase(`winnow-test-${randomUUID()}`)).db
    const wiped = new ProjectionSync(otherDb, {
      api: original.api,
      onEvent: () => () => undefined,
      onReconnect: () => () => undefined,
    })
    await wiped.open(original.projectId)
    expect(wiped.notice).toMatch(/had lost this project's data/)
    wiped.close()
    otherDb.close()
  })
})

describe('two projects that share ids', () => {
  it('keep their own rows: opening the copy, then the original, rebuilds nothing and reports no loss', async () => {
    const { original, copy, samples, candidates } = originalAndCopy()
    const sync = syncMadeHere(original, copy)

    await sync.open(original.projectId)
    expect(sync.error, String(sync.error)).toBeNull()
    expect(sync.notice).toBeNull()
    sync.close()
    await sync.open(copy.projectId)
    expect(sync.notice).toBeNull()
    sync.close()

    const readsBefore = original.reads.length
    await sync.open(original.projectId)
    expect(sync.notice).toBeNull()
    expect(sync.status).toBe('idle')
    // Nothing to catch up on: a rebuild would have read the original's log again from its start.
    expect(original.reads.slice(readsBefore)).toEqual([])
    sync.close()

    const sampleId = samples[0]!.id
    for (const log of [original, copy]) {
      expect(await countSampleRows(db, log.projectId)).toBe(3)
      expect((await getSample(db, log.projectId, sampleId))?.projectId).toBe(log.projectId)
      const listed = await listCandidatesForSample(db, log.projectId, sampleId)
      expect(listed.map((row) => [row.id, row.projectId])).toEqual([[candidates[0]!.id, log.projectId]])
      expect((await listBatches(db, log.projectId)).map((batch) => batch.projectId)).toEqual([log.projectId])
      expect((await listJobs(db, log.projectId)).map((job) => job.projectId)).toEqual([log.projectId])
    }
    // Each project's own verdict on the shared sample.
    expect((await getReview(db, original.projectId, sampleId))?.status).toBe('selected')
    expect((await getReview(db, copy.projectId, sampleId))?.status).toBe('rejected')
    expect((await listDecisionsForSample(db, original.projectId, sampleId)).map((d) => d.annotator)).toEqual([
      'alice',
    ])
    expect((await listDecisionsForSample(db, copy.projectId, sampleId)).map((d) => d.annotator)).toEqual([
      'bob',
    ])
  })

  it("rebuilding one of them leaves the other's rows alone", async () => {
    const { original, copy, samples } = originalAndCopy()
    const sync = syncMadeHere(original, copy)
    await sync.open(original.projectId)
    sync.close()
    await sync.open(copy.projectId)
    sync.close()

    await db.samples.delete([copy.projectId, samples[1]!.id]) // a partial loss in the copy only
    await sync.open(copy.projectId)
    expect(sync.notice).toMatch(/lost part of this project's data/)
    sync.close()

    await sync.open(original.projectId)
    expect(sync.notice).toBeNull()
    sync.close()
    expect(await countSampleRows(db, original.projectId)).toBe(3)
    expect(await countSampleRows(db, copy.projectId)).toBe(3)
  })
})
