// dataset.exported: each frozen export lands as one row of the datasets table (newest first per project),
// a repeated page writes it once, clearProject removes a project's rows, and a rebuild from the log
// (clear, then replay through ProjectionSync) brings every export back unchanged.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents, clearProject } from '../../../src-renderer/db/projection'
import { listDatasets } from '../../../src-renderer/db/repos/datasets.repo'
import { ProjectionSync } from '../../../src-renderer/state/projection-sync.svelte'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport } from '../../factories/log-events'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

function makeSnapshot(projectId: string, createdAt: string, name = 'Demo dataset'): DatasetSnapshot {
  return {
    id: randomUUID(),
    projectId,
    createdAt,
    appVersion: '0.0.0-test',
    schemaVersion: 1,
    name,
    formats: ['sft-messages', 'dpo'],
    spec: { split: { testFraction: 0.1, seed: 0 } },
    formatOptions: { shape: 'strings' },
    logSeq: 7,
    splits: { train: ['a', 'b'], test: ['c'] },
    counts: {
      rows: { 'sft-messages': 3, dpo: 2 },
      bySplit: { train: 2, test: 1 },
      byOrigin: { human: 0, synthetic: 3 },
      byDepth: { '1': 3 },
      byGeneration: { 'tiny:latest#1': 3 },
    },
    warnings: [],
    folder: `/tmp/${name}`,
    files: [{ path: 'dpo/train.jsonl', bytes: 10, lines: 2, sha256: 'a'.repeat(64) }],
    contentHash: 'b'.repeat(64),
  }
}

function logWithExports(): { log: FakeProjectLog; older: DatasetSnapshot; newer: DatasetSnapshot } {
  const log = new FakeProjectLog()
  log.append('project.created', { name: 'Demo', settings: { maxFieldBytes: 1024 * 1024 } })
  appendImport(log, { count: 3 })
  const older = makeSnapshot(log.projectId, '2025-03-01T00:00:00.000Z', 'First')
  const newer = makeSnapshot(log.projectId, '2025-03-02T00:00:00.000Z', 'Second')
  log.append('dataset.exported', { snapshot: older })
  log.append('dataset.exported', { snapshot: newer })
  return { log, older, newer }
}

describe('dataset.exported', () => {
  it('lands as a row per export, newest first, and a repeated page writes nothing twice', async () => {
    const { log, older, newer } = logWithExports()
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(await listDatasets(db, log.projectId)).toEqual([newer, older])
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(await db.datasets.count()).toBe(2)
  })

  it('clearProject deletes the project’s exports and no other project’s', async () => {
    const kept = logWithExports()
    const cleared = logWithExports()
    await applyEvents(db, kept.log.projectId, kept.log.events, kept.log.head())
    await applyEvents(db, cleared.log.projectId, cleared.log.events, cleared.log.head())
    await clearProject(db, cleared.log.projectId)
    expect(await listDatasets(db, cleared.log.projectId)).toEqual([])
    expect(await listDatasets(db, kept.log.projectId)).toEqual([kept.newer, kept.older])
  })

  it('survives a rebuild from the log: the store is wiped and every export comes back', async () => {
    const { log, older, newer } = logWithExports()
    const sync = new ProjectionSync(db, {
      api: log.api,
      onEvent: log.onEvent,
      onReconnect: () => () => undefined,
    })
    await sync.open(log.projectId)
    expect(await listDatasets(db, log.projectId)).toEqual([newer, older])
    sync.close()

    // Everything lost (as when Chromium discards the store): the next open rebuilds from the log.
    for (const table of db.tables) await table.clear()
    await sync.open(log.projectId)
    expect(sync.status).toBe('idle')
    expect(await listDatasets(db, log.projectId)).toEqual([newer, older])
    sync.close()
  })
})
