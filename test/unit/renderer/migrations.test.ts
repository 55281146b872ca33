// R5: schema versions are numbered files without gaps; an empty store gets every table and index; a store
// written by every released version upgrades with its rows intact; a newer app's store opens read-only.
import 'fake-indexeddb/auto'
import { readdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  openDatabase,
  ReadOnlyStoreError,
  StoreOpenError,
  type Migration,
  type StoreFactory,
} from '../../../src-renderer/db/database'
import { currentSchemaVersion, migrations } from '../../../src-renderer/db/migrations/index'
import { assessStore } from '../../../src-renderer/db/recovery'
import { countSampleRows, noSampleFilter, pageSamples } from '../../../src-renderer/db/repos/samples.repo'
import { getSentinel } from '../../../src-renderer/db/repos/sentinel.repo'
import { listCandidatesForSample } from '../../../src-renderer/db/repos/candidates.repo'
import { ProjectionSync } from '../../../src-renderer/state/projection-sync.svelte'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeCandidate } from '../../factories/log-events'
import {
  readRawSchema,
  readRawStore,
  v1Head,
  v1NativeVersion,
  v1ProjectId,
  v1Rows,
  writeStoreV1,
} from '../../fixtures/store-v1'

const migrationsDir = join(import.meta.dirname, '../../../src-renderer/db/migrations')
const uniqueName = (): string => `winnow-test-${randomUUID()}`

const index = (...keyPath: string[]): [string, string[]] => [`[${keyPath.join('+')}]`, keyPath]
const indexes = (...list: [string, string[]][]): Record<string, string[]> => Object.fromEntries(list)

/** Schema v9 as IndexedDB holds it: per-project tables keyed [projectId+id], every index led by projectId. */
const currentStores = {
  projects: { keyPath: 'id', indexes: {} },
  sentinel: { keyPath: 'projectId', indexes: {} },
  samples: {
    keyPath: ['projectId', 'id'],
    indexes: indexes(
      index('projectId', 'ord'),
      index('projectId', 'origin', 'ord'),
      index('projectId', 'batchId', 'ord'),
    ),
  },
  importBatches: { keyPath: ['projectId', 'id'], indexes: indexes(index('projectId', 'startedAt')) },
  jobs: { keyPath: ['projectId', 'id'], indexes: indexes(index('projectId', 'createdAt')) },
  candidates: {
    keyPath: ['projectId', 'id'],
    indexes: indexes(
      index('projectId', 'sampleId', 'createdAt'),
      index('projectId', 'jobId'),
      index('projectId', 'status'),
      // v7: the review's least-confident-first queue reads candidates by their mean logprob.
      index('projectId', 'logprobSummary.meanLogprob'),
    ),
  },
  decisions: {
    keyPath: ['projectId', 'id'],
    indexes: indexes(index('projectId', 'sampleId'), index('projectId', 'at')),
  },
  reviews: { keyPath: ['projectId', 'sampleId'], indexes: indexes(index('projectId', 'status')) },
  datasets: { keyPath: ['projectId', 'id'], indexes: indexes(index('projectId', 'createdAt')) },
  reviewTallies: { keyPath: ['projectId', 'status'], indexes: {} },
}

describe('numbered migrations', () => {
  const files = readdirSync(migrationsDir)
    .filter((file) => file !== 'index.ts')
    .sort()

  it('are files NNN-name.ts numbered 1, 2, 3… without gaps, each declaring its own number', async () => {
    expect(files.length).toBeGreaterThan(0)
    for (const [position, file] of files.entries()) {
      const match = /^(\d{3})-[a-z0-9-]+\.ts$/.exec(file)
      expect(match, file).not.toBeNull()
      expect(Number(match?.[1]), file).toBe(position + 1)
      const module = (await import(join(migrationsDir, file))) as { migration: Migration }
      expect(module.migration.version, file).toBe(position + 1)
      expect(migrations[position], `${file} is listed in migrations/index.ts in order`).toBe(module.migration)
    }
    expect(migrations).toHaveLength(files.length)
    expect(currentSchemaVersion).toBe(files.length)
  })
})

describe('opening the store', () => {
  it('creates every table and index in an empty database, and says it was created fresh', async () => {
    const name = uniqueName()
    const store = await openDatabase(name)
    expect(store.storeCreatedFresh).toBe(true)
    expect(store.isReadOnly).toBe(false)
    expect(store.message).toBeNull()
    expect(store.installedVersion).toBe(currentSchemaVersion)
    store.db.close()

    const schema = await readRawSchema(indexedDB, name)
    expect(schema.version).toBe(currentSchemaVersion * 10)
    // The current layout, written out independently of the migration files.
    expect(schema.stores).toEqual(currentStores)

    const again = await openDatabase(name)
    expect(again.storeCreatedFresh).toBe(false)
    again.db.close()
  })

  it('upgrades a v1 store with rows: keeps its projects, re-keys the per-project tables, and marks each project to reload', async () => {
    const name = uniqueName()
    await writeStoreV1(indexedDB, name)
    const store = await openDatabase(name)
    expect(store.storeCreatedFresh).toBe(false)
    expect(store.isReadOnly).toBe(false)
    expect(store.installedVersion).toBe(currentSchemaVersion)
    const { db } = store

    expect(await db.projects.toArray()).toEqual(v1Rows.projects)
    // v8/v9 key these tables per project; IndexedDB cannot change a key in place, so they start empty…
    expect(await db.samples.toArray()).toEqual([])
    expect(await db.importBatches.toArray()).toEqual([])
    expect(await db.jobs.toArray()).toEqual([])
    expect(await db.candidates.toArray()).toEqual([])
    // …and each sentinel stops claiming the rows that went, and asks for a reload from the log.
    expect(await db.sentinel.toArray()).toEqual(
      v1Rows.sentinel.map((row) => ({ ...row, sampleCount: 0, rebuildPending: 'schema-upgrade' })),
    )

    // Opening the project then reloads it for the upgrade, not because anything was lost.
    const sentinel = (await getSentinel(db, v1ProjectId)) ?? null
    const actualSampleCount = await countSampleRows(db, v1ProjectId)
    expect(actualSampleCount).toBe(0)
    expect(assessStore({ sentinel, actualSampleCount, head: v1Head })).toEqual({
      action: 'rebuild',
      reason: 'schema-upgrade',
    })
    db.close()

    const schema = await readRawSchema(indexedDB, name)
    expect(schema.version).toBe(currentSchemaVersion * 10)
    expect(schema.stores).toEqual(currentStores)
  })

  it('after the v1 → v2 upgrade, opening the project fills in candidates the log already held', async () => {
    const name = uniqueName()
    await writeStoreV1(indexedDB, name)
    // The fixture project's log as main holds it: as long as the v1 sentinel says, plus one candidate event.
    const log = new FakeProjectLog(v1ProjectId, v1Head.logId)
    log.append('project.created', { name: 'Fixture project', settings: { maxFieldBytes: 1048576 } })
    const { samples } = appendImport(log, { count: 5, perEvent: 1 })
    const partial = makeCandidate(samples[0]!.id, { status: 'partial', text: 'half' })
    const complete = makeCandidate(samples[0]!.id, { createdAt: '2025-03-01T00:00:00.000Z' })
    log.append('candidates.recorded', { candidates: [partial, complete] })
    expect(log.head().lastSeq).toBeGreaterThanOrEqual(v1Head.lastSeq)

    const { db } = await openDatabase(name)
    const sync = new ProjectionSync(db, {
      api: log.api,
      onEvent: log.onEvent,
      onReconnect: () => () => undefined,
    })
    await sync.open(v1ProjectId)
    expect(sync.status).toBe('idle')
    expect(sync.notice).toMatch(/was upgraded/)
    expect(sync.notice).not.toMatch(/lost/)
    expect(
      (await listCandidatesForSample(db, v1ProjectId, samples[0]!.id)).map((row) => [row.id, row.status]),
    ).toEqual([
      [complete.id, 'complete'],
      [partial.id, 'partial'],
    ])
    const sentinel = await getSentinel(db, v1ProjectId)
    expect(sentinel).toEqual({ projectId: v1ProjectId, ...log.head() })
    expect(await countSampleRows(db, v1ProjectId)).toBe(5)

    // Rebuilt once: the next open trusts the store and says nothing.
    sync.close()
    await sync.open(v1ProjectId)
    expect(sync.notice).toBeNull()
    db.close()
  })

  it('opens a store written by a newer Winnow read-only, with a clear message, without changing or deleting it', async () => {
    const name = uniqueName()
    const newerNative = (currentSchemaVersion + 1) * 10
    // A newer app that added a table and dropped an index this version declares: Dexie alone would "patch" it.
    await writeStoreV1(indexedDB, name, {
      nativeVersion: newerNative,
      extraStores: ['decisions'],
      dropIndex: { store: 'samples', index: '[projectId+origin+ord]' },
    })
    const before = await readRawSchema(indexedDB, name)

    const store = await openDatabase(name)
    expect(store.isReadOnly).toBe(true)
    expect(store.installedVersion).toBe(currentSchemaVersion + 1)
    expect(store.message).toMatch(/newer version of Winnow/)
    expect(store.message).toMatch(/read-only/)
    // Reads work…
    expect(await store.db.samples.count()).toBe(v1Rows.samples.length)
    const page = await pageSamples(store.db, v1ProjectId, noSampleFilter, 0, 10)
    expect(page.map((row) => row.ord)).toEqual([1, 2, 3, 4, 5])
    // …writes are refused.
    await expect(store.db.samples.put({ ...v1Rows.samples[0]!, text: 'changed' })).rejects.toBeInstanceOf(
      ReadOnlyStoreError,
    )
    await expect(store.db.sentinel.delete(v1ProjectId)).rejects.toBeInstanceOf(ReadOnlyStoreError)
    store.db.close()

    expect(await readRawSchema(indexedDB, name)).toEqual(before)
    expect(await readRawStore(indexedDB, name, 'samples')).toEqual(v1Rows.samples)
  })

  it('surfaces a failure to open with its cause, and a full disk as storage-full', async () => {
    const failing = (error: Error): StoreFactory => ({
      indexedDB: new Proxy(indexedDB, {
        get(target, property) {
          if (property === 'open') {
            return () => {
              throw error
            }
          }
          const value: unknown = Reflect.get(target, property)
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value
        },
      }),
      IDBKeyRange,
    })

    const broken = new Error('Internal error opening backing store for indexedDB.open.')
    const failure = await openDatabase(uniqueName(), failing(broken)).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(StoreOpenError)
    expect((failure as StoreOpenError).code).toBe('open-failed')
    expect((failure as StoreOpenError).message).toMatch(
      /could not open its local database: Internal error opening/,
    )
    expect((failure as StoreOpenError).cause).toBeDefined()

    const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    const quota = await openDatabase(uniqueName(), failing(full)).catch((error: unknown) => error)
    expect(quota).toBeInstanceOf(StoreOpenError)
    expect((quota as StoreOpenError).code).toBe('storage-full')
    expect((quota as StoreOpenError).message).toMatch(/full/)
  })

  it('writes the v1 fixture at the native version Dexie uses for schema 1', () => {
    expect(v1NativeVersion).toBe(migrations[0]!.version * 10)
  })
})
