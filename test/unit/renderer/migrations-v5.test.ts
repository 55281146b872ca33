// Schemas v5 (datasets) and v6 (review tallies): a store written by v4, with rows, opens under the current
// schema, gains both tables and their indexes, and marks each project for a rebuild (v4 skipped
// dataset.exported and kept no tallies). Since v8/v9 the per-project tables are re-keyed, so their rows
// come back from the log on that rebuild (migrations.test.ts follows one through it).
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-renderer/db/database'
import { currentSchemaVersion, migrations } from '../../../src-renderer/db/migrations/index'
import { readRawSchema, v1Rows, writeStoreV1 } from '../../fixtures/store-v1'

/** Upgrades the v1 fixture through migrations 2–4 only, as Winnow v4 would have left it. */
async function writeStoreV4(name: string): Promise<void> {
  await writeStoreV1(indexedDB, name)
  const v4 = new Dexie(name, { indexedDB, IDBKeyRange })
  for (const migration of migrations.slice(0, 4)) {
    const version = v4.version(migration.version).stores({ ...migration.stores })
    if (migration.upgrade) version.upgrade(migration.upgrade)
  }
  await v4.open()
  // A v4 store whose rebuild already ran: the flag is clear, so v5 must set it again.
  await v4
    .table('sentinel')
    .toCollection()
    .modify((row: { rebuildPending?: string }) => {
      delete row.rebuildPending
    })
  v4.close()
}

describe('schemas v5 and v6: datasets and review tallies', () => {
  it('opens a v4 store with its rows, adds datasets and tallies, and marks every project to rebuild', async () => {
    expect(currentSchemaVersion).toBeGreaterThanOrEqual(6)
    const name = `winnow-test-${randomUUID()}`
    await writeStoreV4(name)
    expect((await readRawSchema(indexedDB, name)).version).toBe(40)
    expect((await readRawSchema(indexedDB, name)).stores['datasets']).toBeUndefined()

    const store = await openDatabase(name)
    expect(store.isReadOnly).toBe(false)
    expect(store.installedVersion).toBe(currentSchemaVersion)
    const { db } = store
    expect(await db.samples.toArray()).toEqual([])
    expect(await db.projects.toArray()).toEqual(v1Rows.projects)
    expect(await db.datasets.toArray()).toEqual([])
    expect(await db.reviewTallies.toArray()).toEqual([])
    expect(await db.sentinel.toArray()).toEqual(
      v1Rows.sentinel.map((row) => ({ ...row, sampleCount: 0, rebuildPending: 'schema-upgrade' })),
    )
    db.close()

    const schema = await readRawSchema(indexedDB, name)
    expect(schema.version).toBe(currentSchemaVersion * 10)
    expect(schema.stores['reviewTallies']).toEqual({
      keyPath: ['projectId', 'status'],
      indexes: {},
    })
    expect(schema.stores['datasets']).toEqual({
      keyPath: ['projectId', 'id'],
      indexes: { '[projectId+createdAt]': ['projectId', 'createdAt'] },
    })
  })
})
