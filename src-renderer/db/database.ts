// The renderer's IndexedDB gateway and the only module that imports Dexie. The store is a projection of
// main's project logs (ARCHITECTURE.md), so it can be rebuilt at any time; opening it never deletes data,
// and a store written by a newer Winnow is opened read-only rather than "fixed" by this older schema.
import Dexie, { type Collection, type DBCore, type Table, type Transaction } from 'dexie'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import type { DecisionRecord } from '@shared/domain/decision'
import type { SampleReview } from '@shared/domain/review-state'
import type { ImportCounts, ImportError, ImportSpec } from '@shared/domain/import-spec'
import type { ProjectSettings } from '@shared/domain/project'
import type { SampleRecord } from '@shared/domain/sample'
import type { JobSnapshot } from '@shared/jobs/job'
import { currentSchemaVersion, migrations } from './migrations/index'

export type { Collection, Table, Transaction }

/** One numbered schema step (migrations/NNN-name.ts). `stores` lists only what changes, as Dexie expects. */
export interface Migration {
  readonly version: number
  readonly stores: Readonly<Record<string, string | null>>
  readonly upgrade?: (tx: Transaction) => Promise<void> | void
}

export interface ProjectRow {
  id: string
  name: string
  settings: ProjectSettings
  createdAt: string
  updatedAt: string
}

export type SampleRow = SampleRecord & { projectId: string }

export type ImportBatchStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

export interface ImportBatchRow {
  id: string
  projectId: string
  fileName: string
  sizeBytes: number
  /** Null only when the log holds the batch's end but not its start (never written by a healthy main). */
  spec: ImportSpec | null
  status: ImportBatchStatus
  counts: ImportCounts
  errors: ImportError[]
  errorsTruncated: boolean
  message: string | null
  startedAt: string
  finishedAt: string | null
}

export type JobRow = JobSnapshot

export type CandidateRow = CandidateRecord & { projectId: string }

/** A review decision as the log recorded it (already carries projectId), with its position in the log. */
export type DecisionRow = DecisionRecord & { seq: number }

/** A sample's review state, derived from its decisions in the same transaction that stores them. */
export type ReviewRow = SampleReview & { projectId: string; sampleId: string }

/** How many of a project's samples have a review in this status; updated with the reviews themselves. */
export interface ReviewTallyRow {
  projectId: string
  status: ReviewRow['status']
  count: number
}

/** A frozen export as main recorded it (dataset.exported), keyed by the snapshot's id. */
export type DatasetRow = DatasetSnapshot

/** How far the store has applied a project's log; compared with the log's head at start-up. */
export interface SentinelRow {
  projectId: string
  logId: string
  lastSeq: number
  eventCount: number
  sampleCount: number
  /** Set by a schema upgrade whose new tables v1's projection never filled: rebuild on next open. */
  rebuildPending?: 'schema-upgrade'
}

/** The lowest and highest keys IndexedDB can order, for "[projectId+…]" ranges over a whole project. */
export const minKey = Dexie.minKey
export const maxKey = Dexie.maxKey

/**
 * Every row of one project in a per-project table, by its primary key [projectId+id]: a key range, so
 * counting or deleting it needs no index (deleting a range is one request, not a visit to every row).
 */
export function projectRows<Row>(
  table: Table<Row, ProjectKey>,
  projectId: string,
): Collection<Row, ProjectKey> {
  return table.where(':id').between([projectId, minKey], [projectId, maxKey], true, true)
}

/** The primary key of every per-project table (schema v9): two projects may hold rows with the same id. */
export type ProjectKey = [projectId: string, id: string]

export class WinnowDb extends Dexie {
  // Table, not EntityTable: ids come from the log (never auto-incremented), so a row without one is a bug.
  declare projects: Table<ProjectRow, string>
  declare samples: Table<SampleRow, ProjectKey>
  declare importBatches: Table<ImportBatchRow, ProjectKey>
  declare jobs: Table<JobRow, ProjectKey>
  declare sentinel: Table<SentinelRow, string>
  declare candidates: Table<CandidateRow, ProjectKey>
  declare decisions: Table<DecisionRow, ProjectKey>
  declare reviews: Table<ReviewRow, [string, string]>
  declare datasets: Table<DatasetRow, ProjectKey>
  declare reviewTallies: Table<ReviewTallyRow, [string, string]>

  constructor(name: string, factory: StoreFactory, withSchema: boolean) {
    // Strict everywhere: relaxed writes doubled Chromium's wipe rate here (RELIABILITY.md, R2).
    super(name, {
      chromeTransactionDurability: 'strict',
      // Views re-query when the projection's version changes; Dexie's optimistic query cache only adds
      // bookkeeping to every bulk write of the projection.
      cache: 'disabled',
      indexedDB: factory.indexedDB,
      IDBKeyRange: factory.IDBKeyRange,
    })
    // No view uses liveQuery: its change tracking only computed the key ranges of every row each write touched
    // and broadcast them to other tabs after each commit, on the path of a review decision's save.
    this.unuse({ stack: 'dbcore', name: 'Observability' })
    if (!withSchema) return // dynamic mode: Dexie reads whatever schema is installed and never upgrades it
    for (const migration of migrations) {
      const version = this.version(migration.version).stores({ ...migration.stores })
      if (migration.upgrade) version.upgrade(migration.upgrade)
    }
  }
}

const projectionTableNames = [
  'projects',
  'samples',
  'importBatches',
  'jobs',
  'sentinel',
  'candidates',
  'decisions',
  'reviews',
  'datasets',
  'reviewTallies',
] as const

export interface StoreFactory {
  indexedDB: IDBFactory
  IDBKeyRange: typeof IDBKeyRange
}

/** Chromium's non-standard report on the first open after it discarded a damaged store. */
export interface DataLossReport {
  kind: string
  message: string
}

export interface OpenedStore {
  db: WinnowDb
  /** True when the store was written by a newer Winnow: reads work, every write is refused. */
  isReadOnly: boolean
  /** True when this open created the database (first run, or the whole store had been discarded). */
  storeCreatedFresh: boolean
  dataLoss: DataLossReport | null
  /** The schema version found on disk (current or newer). */
  installedVersion: number
  /** A sentence for the person using the app when the store is not fully usable; otherwise null. */
  message: string | null
}

export class StoreOpenError extends Error {
  constructor(
    readonly code: 'storage-full' | 'open-failed',
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options)
    this.name = 'StoreOpenError'
  }
}

export class ReadOnlyStoreError extends Error {
  constructor() {
    super('This local database was written by a newer version of Winnow, so this version only reads it.')
    this.name = 'ReadOnlyStoreError'
  }
}

const newerStoreMessage =
  "Winnow's local database was written by a newer version of Winnow. This version shows it read-only and " +
  'will not change it; update Winnow to work on your projects again.'

/**
 * Opens the store. When Chromium finds its LevelDB backing store corrupt (e.g. after a crash), the first open
 * fails with "Internal error opening backing store" and Chromium discards the origin's data; the next open
 * then succeeds on an empty store, which the projection rebuilds from the project log. So an UnknownError is
 * retried a few times before it is reported.
 */
export async function openDatabase(
  name = 'winnow',
  factory: StoreFactory = defaultFactory(),
  retryDelaysMs: readonly number[] = [200, 1000, 3000],
): Promise<OpenedStore> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(name, factory)
    } catch (error) {
      const delay = retryDelaysMs[attempt]
      if (!(error instanceof StoreOpenError) || !isBackingStoreFailure(error) || delay === undefined)
        throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

function isBackingStoreFailure(error: StoreOpenError): boolean {
  const cause: unknown = error.cause
  const inner: unknown = cause instanceof Error ? (Reflect.get(cause, 'inner') ?? cause) : cause
  return (inner instanceof Error || inner instanceof DOMException) && inner.name === 'UnknownError'
}

async function openOnce(name: string, factory: StoreFactory): Promise<OpenedStore> {
  let dataLoss: DataLossReport | null = null
  const probed: StoreFactory = {
    ...factory,
    indexedDB: withDataLossProbe(factory.indexedDB, (report) => (dataLoss = report)),
  }
  try {
    // Dexie 4 answers a VersionError by opening the newer store anyway and patching it to this schema;
    // look at the installed version first so a newer app's store is never touched.
    const installed = await installedVersion(factory.indexedDB, name)
    if (installed !== null && installed > currentSchemaVersion)
      return await openReadOnly(name, probed, installed)

    let storeCreatedFresh = false
    const db = new WinnowDb(name, probed, true)
    db.on('populate', () => {
      storeCreatedFresh = true
    })
    await db.open()
    const opened = nativeToSchemaVersion(db.backendDB().version)
    if (opened > currentSchemaVersion) {
      db.close()
      return await openReadOnly(name, probed, opened)
    }
    return { db, isReadOnly: false, storeCreatedFresh, dataLoss, installedVersion: opened, message: null }
  } catch (error) {
    throw describeOpenFailure(error)
  }
}

async function openReadOnly(name: string, factory: StoreFactory, installed: number): Promise<OpenedStore> {
  const db = new WinnowDb(name, factory, false)
  db.use({ stack: 'dbcore', name: 'winnow-read-only', create: refuseWrites })
  await db.open()
  // Dynamic mode only registers tables for db.table(name); give the repos their usual properties.
  for (const tableName of projectionTableNames) {
    Object.defineProperty(db, tableName, { get: () => db.table(tableName), configurable: true })
  }
  return {
    db,
    isReadOnly: true,
    storeCreatedFresh: false,
    dataLoss: null,
    installedVersion: installed,
    message: newerStoreMessage,
  }
}

function refuseWrites(down: DBCore): DBCore {
  return {
    ...down,
    table(tableName) {
      const table = down.table(tableName)
      return { ...table, mutate: () => Promise.reject(new ReadOnlyStoreError()) }
    },
  }
}

/** Dexie stores version n as native version 10n (plus small patch bumps); null when no such database. */
async function installedVersion(indexedDB: IDBFactory, name: string): Promise<number | null> {
  if (typeof indexedDB.databases !== 'function') return null
  const found = (await indexedDB.databases()).find((info) => info.name === name)
  return found?.version === undefined ? null : nativeToSchemaVersion(found.version)
}

const nativeToSchemaVersion = (native: number): number => Math.floor(native / 10)

/** Records Chromium's `dataLoss` fields from the upgrade event, which Dexie does not pass on. */
function withDataLossProbe(factory: IDBFactory, record: (report: DataLossReport) => void): IDBFactory {
  return {
    open(name: string, version?: number) {
      const request = version === undefined ? factory.open(name) : factory.open(name, version)
      request.addEventListener('upgradeneeded', (event) => {
        const kind: unknown = Reflect.get(event, 'dataLoss')
        const message: unknown = Reflect.get(event, 'dataLossMessage')
        if (typeof kind === 'string' && kind !== 'none') {
          record({ kind, message: typeof message === 'string' ? message : '' })
        }
      })
      return request
    },
    deleteDatabase: (name) => factory.deleteDatabase(name),
    cmp: (first, second) => factory.cmp(first, second),
    databases: () => factory.databases(),
  }
}

function defaultFactory(): StoreFactory {
  return { indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange }
}

function describeOpenFailure(error: unknown): StoreOpenError {
  // Dexie wraps the browser's error (OpenFailedError, AbortError…) and keeps it in `.inner`.
  const inner: unknown = error instanceof Error ? (Reflect.get(error, 'inner') ?? error) : error
  const name = inner instanceof Error || inner instanceof DOMException ? inner.name : ''
  const detail = inner instanceof Error || inner instanceof DOMException ? inner.message : String(inner)
  if (name === 'QuotaExceededError') {
    return new StoreOpenError(
      'storage-full',
      `Winnow could not open its local database because the disk or the browser's storage quota is full (${detail}).`,
      { cause: error },
    )
  }
  return new StoreOpenError('open-failed', `Winnow could not open its local database: ${detail}`, {
    cause: error,
  })
}

/**
 * Asks IndexedDB to commit once the requests already issued are done. Left to itself it commits only after
 * the page has handled every request's result and gone idle, one more round trip through a busy window
 * before the commit a person is waiting on can start. No request may follow this.
 */
export function commitWhenDone(transaction: Transaction): void {
  transaction.idbtrans.commit()
}
