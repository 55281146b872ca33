// R1/R4 in the renderer: after IndexedDB is wiped or loses rows, opening the project rebuilds it from the
// log — every sample back with identical hashes, and the person told — and appended events keep it level.
// Each "nothing lost" check is also run against deliberately broken appliers, which it must catch.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents, clearProject } from '../../../src-renderer/db/projection'
import type { PreparedInputs } from '../../../src-renderer/db/prepared-inputs'
import { countReviews } from '../../../src-renderer/db/repos/decisions.repo'
import { countSampleRows } from '../../../src-renderer/db/repos/samples.repo'
import { getSentinel } from '../../../src-renderer/db/repos/sentinel.repo'
import { ApiError } from '../../../src-renderer/lib/api'
import {
  ProjectionSync,
  type LogApi,
  type ProjectionSyncDeps,
} from '../../../src-renderer/state/projection-sync.svelte'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport } from '../../factories/log-events'
import { makeDecision } from '../../factories/decisions'
import { ChainTips } from '@shared/domain/decision-chain'

const open: WinnowDb[] = []
afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

async function openStore(name: string): Promise<{ db: WinnowDb; storeCreatedFresh: boolean }> {
  const store = await openDatabase(name)
  open.push(store.db)
  return store
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error ?? new Error('delete failed'))
  })
}

const noReconnect = (): (() => void) => () => undefined

function syncFor(db: WinnowDb, log: FakeProjectLog, deps: ProjectionSyncDeps = {}): ProjectionSync {
  // One event per page (256 KiB < one 500-sample event), so "the last page" is a real, separate page.
  return new ProjectionSync(db, {
    api: log.api,
    onEvent: log.onEvent,
    onReconnect: noReconnect,
    pageBytes: 256 * 1024,
    ...deps,
  })
}

/** sample id → content hash, over the whole project. */
async function hashesOf(db: WinnowDb, projectId: string): Promise<Map<string, string>> {
  const rows = await db.samples
    .where('[projectId+ord]')
    .between([projectId, 0], [projectId, Infinity])
    .toArray()
  return new Map(rows.map((row) => [row.id, row.contentHash]))
}

/** A project with two import batches (human, then model) holding `count` samples in all. */
function importedLog(count: number): FakeProjectLog {
  const log = new FakeProjectLog()
  log.append('project.created', { name: 'Rebuild', settings: { maxFieldBytes: 1024 * 1024 } })
  appendImport(log, { count: count * 0.6, perEvent: 500 })
  appendImport(log, { count: count * 0.4, perEvent: 500, origin: 'model' })
  return log
}

/** What a person would see go wrong after recovery; empty when the store is fully back. */
async function recoveryProblems(
  db: WinnowDb,
  sync: ProjectionSync,
  log: FakeProjectLog,
  original: Map<string, string>,
): Promise<string[]> {
  const problems: string[] = []
  const restored = await hashesOf(db, log.projectId)
  if (restored.size !== original.size) problems.push(`${restored.size} of ${original.size} samples restored`)
  for (const [id, hash] of original) {
    if (restored.get(id) !== hash) {
      problems.push(`sample ${id} missing or changed`)
      break
    }
  }
  const count = original.size.toLocaleString()
  if (!sync.notice?.includes(`rebuilt from the project log: ${count} samples restored`)) {
    problems.push(`notice was ${JSON.stringify(sync.notice)}`)
  }
  if (sync.status !== 'idle') problems.push(`status ${sync.status}: ${sync.error}`)
  const sentinel = await getSentinel(db, log.projectId)
  if (sentinel?.lastSeq !== log.head().lastSeq) problems.push(`sentinel at ${sentinel?.lastSeq}`)
  return problems
}

/** The store as the renderer left it while following the log live: every page applied as it came. */
async function populate(db: WinnowDb, log: FakeProjectLog): Promise<void> {
  for (let afterSeq = 0; afterSeq < log.events.length; afterSeq += 3) {
    await applyEvents(db, log.projectId, log.page(afterSeq, 3), log.head())
  }
}

const skipsLastPage: typeof applyEvents = (db, projectId, events, head) =>
  events.at(-1)?.seq === head.lastSeq
    ? Promise.resolve({ applied: 0, newSamples: 0 })
    : applyEvents(db, projectId, events, head)

const dropsOneSample: typeof applyEvents = (db, projectId, events, head) => {
  const copy = structuredClone(events)
  const imported = copy.find((event) => event.kind === 'samples.imported')
  if (imported) (imported.data as { samples: unknown[] }).samples.pop()
  return applyEvents(db, projectId, copy, head)
}

const appliers: Array<{ name: string; apply: typeof applyEvents; isSound: boolean }> = [
  { name: 'the real applier', apply: applyEvents, isSound: true },
  { name: 'an applier that skips the last page', apply: skipsLastPage, isSound: false },
  { name: 'an applier that drops one sample per page', apply: dropsOneSample, isSound: false },
]

describe('rebuilding after the store lost a project', () => {
  it.each(appliers)('after IndexedDB was deleted entirely — $name', async ({ apply, isSound }) => {
    const name = `winnow-test-${randomUUID()}`
    const log = importedLog(10_000)
    const first = await openStore(name)
    await populate(first.db, log)
    const original = await hashesOf(first.db, log.projectId)
    expect(original.size).toBe(10_000)
    first.db.close()

    await deleteDatabase(name)
    const second = await openStore(name)
    expect(second.storeCreatedFresh).toBe(true)
    const sync = syncFor(second.db, log, { applyEvents: apply })
    await sync.open(log.projectId)

    const problems = await recoveryProblems(second.db, sync, log, original)
    if (isSound) expect(problems).toEqual([])
    else expect(problems.length, 'the check must catch a broken applier').toBeGreaterThan(0)
  })

  it.each(appliers)('after half the sample rows vanished — $name', async ({ apply, isSound }) => {
    const log = importedLog(4_000)
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    await populate(db, log)
    const original = await hashesOf(db, log.projectId)
    await db.samples.bulkDelete(
      [...original.keys()]
        .filter((_, index) => index % 2 === 0)
        .map((id): [string, string] => [log.projectId, id]),
    )
    expect(await countSampleRows(db, log.projectId)).toBe(2_000)

    const sync = syncFor(db, log, { applyEvents: apply })
    await sync.open(log.projectId)
    const problems = await recoveryProblems(db, sync, log, original)
    if (isSound) {
      expect(problems).toEqual([])
      expect(sync.notice).toMatch(/lost part of this project's data/)
    } else {
      expect(problems.length).toBeGreaterThan(0)
    }
  })

  it('after the samples table was emptied but the sentinel survived', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 1_200, perEvent: 300 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    await syncFor(db, log).open(log.projectId)
    const original = await hashesOf(db, log.projectId)
    await db.samples.clear()

    const statuses: string[] = []
    const sync: ProjectionSync = syncFor(db, log, {
      applyEvents: (...args) => {
        statuses.push(sync.status)
        return applyEvents(...args)
      },
    })
    await sync.open(log.projectId)
    expect(await recoveryProblems(db, sync, log, original)).toEqual([])
    expect(new Set(statuses)).toEqual(new Set(['rebuilding']))
    sync.dismissNotice()
    expect(sync.notice).toBeNull()
  })

  it('when the store follows a different log for the project', async () => {
    const old = new FakeProjectLog()
    appendImport(old, { count: 300 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    await syncFor(db, old).open(old.projectId)

    const replaced = new FakeProjectLog(old.projectId)
    appendImport(replaced, { count: 120 })
    const sync = syncFor(db, replaced)
    await sync.open(replaced.projectId)
    expect(sync.status).toBe('idle')
    expect(sync.notice).toMatch(/did not match this project's log.*120 samples restored/)
    const rows = await hashesOf(db, old.projectId)
    expect(rows.size).toBe(120)
    expect((await getSentinel(db, old.projectId))?.logId).toBe(replaced.logId)
  })
})

describe('keeping level with the log', () => {
  it('catches up a store that is behind without clearing it or saying anything', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 1_000, perEvent: 250 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    await syncFor(db, log).open(log.projectId)
    appendImport(log, { count: 500, perEvent: 250 })
    const readsBefore = log.reads.length

    const statuses: string[] = []
    const sync: ProjectionSync = syncFor(db, log, {
      applyEvents: (...args) => {
        statuses.push(sync.status)
        return applyEvents(...args)
      },
    })
    await sync.open(log.projectId)
    expect(await countSampleRows(db, log.projectId)).toBe(1_500)
    expect(sync.notice).toBeNull()
    expect(new Set(statuses)).toEqual(new Set(['syncing']))
    expect(log.reads[readsBefore]?.afterSeq).toBe(6) // resumed after the first batch, not from 0
    expect(sync.progress).toEqual({ applied: 4, target: 4 })
  })

  it('pulls appended events when told, and bumps the version views watch', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 100 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    const version = sync.version

    appendImport(log, { count: 50 })
    log.notifyAppended()
    await vi.waitFor(async () => expect(await countSampleRows(db, log.projectId)).toBe(150))
    await vi.waitFor(() => expect(sync.status).toBe('idle'))
    expect(sync.version).toBeGreaterThan(version)
  })

  it('applies events that came with their notice without reading the log', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 100 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    const reads = log.reads.length

    const before = log.head().lastSeq
    appendImport(log, { count: 20, perEvent: 10 })
    log.notifyAppended(log.events.slice(before))
    await sync.waitForSeq(log.head().lastSeq, 2_000)
    await vi.waitFor(() => expect(sync.status).toBe('idle'))
    await new Promise((settle) => setTimeout(settle, 50)) // a needless second pass would read by now
    expect(await countSampleRows(db, log.projectId)).toBe(120)
    // Neither the notice's pass nor waitForSeq (told of the seq by the notice) read the log.
    expect(log.reads.length).toBe(reads)
  })

  it('reads the log when the events that came with a notice leave a gap', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 100 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    const reads = log.reads.length

    appendImport(log, { count: 30, perEvent: 10 }) // a bulk append: no events with it, and no notice yet
    const before = log.head().lastSeq
    appendImport(log, { count: 5 })
    log.notifyAppended(log.events.slice(before)) // only the last event travels with the notice
    await sync.waitForSeq(log.head().lastSeq, 2_000)
    expect(await countSampleRows(db, log.projectId)).toBe(135)
    expect(log.reads.length).toBeGreaterThan(reads)
  })

  it('coalesces notifications: one pass at a time, and one more for everything said during it', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    const readsBefore = log.reads.length

    log.readDelayMs = 30
    appendImport(log, { count: 10 })
    log.notifyAppended() // starts a pass
    for (let i = 0; i < 20; i++) {
      appendImport(log, { count: 1 })
      log.notifyAppended() // during the pass: at most one more
    }
    await vi.waitFor(() => expect(log.reads.length).toBeGreaterThan(readsBefore))
    await vi.waitFor(async () => expect(await countSampleRows(db, log.projectId)).toBe(40))
    await vi.waitFor(() => expect(sync.status).toBe('idle'))
    expect(log.reads.length - readsBefore).toBeLessThanOrEqual(3)

    const settled = log.reads.length
    log.notifyAppended() // nothing new: not even a read
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(log.reads.length).toBe(settled)
  })

  it('fetches the next page while it writes the current one', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 1_500, perEvent: 500 })
    const timeline: string[] = []
    const api: LogApi = {
      'log.head': (request) => log.api['log.head'](request),
      'log.read': (request) => {
        timeline.push(`read after ${request.afterSeq}`)
        return log.api['log.read'](request)
      },
    }
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log, {
      api,
      applyEvents: async (...args) => {
        const seq = args[2].at(-1)?.seq
        await new Promise((resolve) => setTimeout(resolve, 20))
        const outcome = await applyEvents(...args)
        timeline.push(`applied to ${seq}`)
        return outcome
      },
    })
    await sync.open(log.projectId)
    const pageEnds = timeline
      .filter((entry) => entry.startsWith('applied to '))
      .map((entry) => entry.slice(11))
    expect(pageEnds.length).toBeGreaterThan(2)
    for (const seq of pageEnds.slice(0, -1)) {
      // The read of the following page was sent before this page's write finished.
      expect(timeline.indexOf(`read after ${seq}`), seq).toBeLessThan(timeline.indexOf(`applied to ${seq}`))
    }
    expect(await countSampleRows(db, log.projectId)).toBe(1_500)
  })

  it('stops listening when closed', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    expect(log.listenerCount).toBe(1)
    sync.close()
    expect(log.listenerCount).toBe(0)
    expect(sync.projectId).toBeNull()
  })

  it('pulls again after the connection to main comes back', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    let reconnected = (): void => undefined
    const sync = syncFor(db, log, {
      onReconnect: (listener) => {
        reconnected = listener
        return () => undefined
      },
    })
    await sync.open(log.projectId)
    appendImport(log, { count: 5 }) // its log.appended event was lost with the connection
    reconnected()
    await vi.waitFor(async () => expect(await countSampleRows(db, log.projectId)).toBe(15))
  })
})

describe('when another window changes the store mid-sync', () => {
  it('looks again instead of applying across the gap, and still ends level with the log', async () => {
    const log = importedLog(2_000)
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    let pages = 0
    const sync = syncFor(db, log, {
      applyEvents: async (...args) => {
        if (++pages === 3) await clearProject(db, log.projectId) // the other window's rebuild starts
        return applyEvents(...args)
      },
    })
    await sync.open(log.projectId)
    expect(sync.status).toBe('idle')
    expect(await countSampleRows(db, log.projectId)).toBe(2_000)
    expect((await getSentinel(db, log.projectId))?.lastSeq).toBe(log.head().lastSeq)
  })
})

describe('when it cannot sync', () => {
  it('reports a failure to reach the log in words, and recovers on the next open', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    let isDown = true
    const api: LogApi = {
      'log.head': (request) =>
        isDown
          ? Promise.reject(new ApiError('unavailable', 'Lost the connection.'))
          : log.api['log.head'](request),
      'log.read': (request) => log.api['log.read'](request),
    }
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log, { api })
    await sync.open(log.projectId)
    expect(sync.status).toBe('error')
    expect(sync.error).toMatch(
      /could not bring this project's local database up to date.*Lost the connection/,
    )
    isDown = false
    await sync.open(log.projectId)
    expect(sync.status).toBe('idle')
    expect(sync.error).toBeNull()
    expect(await countSampleRows(db, log.projectId)).toBe(10)
  })

  it('never writes to a store opened read-only', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log, { isReadOnly: true })
    await sync.open(log.projectId)
    expect(log.reads).toEqual([])
    expect(await countSampleRows(db, log.projectId)).toBe(0)
  })
})

describe('waiting for the store to reach a seq', () => {
  it('resolves once the appended events are applied, without needing the appended event', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    await sync.waitForSeq(log.head().lastSeq) // already there: at once

    appendImport(log, { count: 5 }) // no notifyAppended: waitForSeq must pull by itself
    const target = log.head().lastSeq
    await sync.waitForSeq(target, 2_000)
    expect(await countSampleRows(db, log.projectId)).toBe(15)
  })

  it('rejects in words on timeout and when the project closes', async () => {
    const log = new FakeProjectLog()
    appendImport(log, { count: 3 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const sync = syncFor(db, log)
    await sync.open(log.projectId)
    const beyond = log.head().lastSeq + 5 // never written
    await expect(sync.waitForSeq(beyond, 50)).rejects.toThrow(/did not catch up .* within/)

    const pending = sync.waitForSeq(beyond, 5_000)
    sync.close()
    await expect(pending).rejects.toThrow(/closed/)
    await expect(sync.waitForSeq(1)).rejects.toThrow(/No project is open/)
  })
})

describe('reading ahead for a decision', () => {
  it('hands the decision’s store write what was read ahead, unless a page was applied since', async () => {
    const log = new FakeProjectLog()
    log.append('project.created', { name: 'Review', settings: { maxFieldBytes: 1024 * 1024 } })
    appendImport(log, { count: 10 })
    const { db } = await openStore(`winnow-test-${randomUUID()}`)
    const handed: Array<PreparedInputs | null | undefined> = []
    const apply: typeof applyEvents = (store, projectId, events, head, prepared) => {
      if (events.some((event) => event.kind === 'decision.recorded')) handed.push(prepared)
      return applyEvents(store, projectId, events, head, prepared)
    }
    const sync = syncFor(db, log, { applyEvents: apply })
    await sync.open(log.projectId)
    const tips = new ChainTips()
    const decide = async (sampleId: string): Promise<void> => {
      const before = log.head().lastSeq
      const decision = tips.next(makeDecision('skip', { projectId: log.projectId, sampleId }))
      log.append('decision.recorded', { decision })
      log.notifyAppended(log.events.slice(before))
      await sync.waitForSeq(log.head().lastSeq, 2_000)
    }

    sync.prepareDecision('s1')
    await decide('s1')
    expect(handed.at(-1)?.sampleIds).toEqual(new Set(['s1']))

    sync.prepareDecision('s2')
    const before = log.head().lastSeq
    appendImport(log, { count: 5 }) // applied between the read-ahead and the decision: it is stale now
    log.notifyAppended(log.events.slice(before))
    await sync.waitForSeq(log.head().lastSeq, 2_000)
    await decide('s2')
    expect(handed.at(-1)).toBeNull()
    expect(await countReviews(db, log.projectId, 'skipped')).toBe(2)
  })
})
