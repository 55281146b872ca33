// The review benchmark's baseline, measured in the same run: what one decision must cost at the least. A
// bare fsync'd append of the decision event's bytes (Node, same disk as the project log) and a bare
// strict-durability IndexedDB transaction putting the rows the projection writes for it (the decision, the
// sample's review state, the sentinel) into stores with the same indexes, in the same Chromium.
import { open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { defineNameHelper } from './review-probe'

/** The newest event line of the project's log, as it is on disk (segments are plain .log while open). */
export async function lastDecisionLine(logDir: string): Promise<Buffer> {
  const names = (await readdir(logDir)).filter((name) => /^seg-\d+\.jsonl$/.test(name)).sort()
  for (const name of names.reverse()) {
    const bytes = await readFile(join(logDir, name))
    const lines = bytes.toString('utf8').split('\n')
    const line = lines.reverse().find((text) => text.includes('"decision.recorded"'))
    if (line !== undefined) return Buffer.from(line + '\n', 'utf8')
  }
  throw new Error(`no decision.recorded event in ${logDir}`)
}

/** The bare append the baselines time: write, then fsync. */
export async function appendDurably(handle: FileHandle, line: Buffer): Promise<void> {
  await handle.write(line)
  await handle.sync()
}

/** Milliseconds of each of `count` open-append, write, fsync rounds on a scratch file in `dir`. */
export async function rawAppendTimes(dir: string, line: Buffer, count: number): Promise<number[]> {
  const path = join(dir, 'raw-append.scratch')
  const handle = await open(path, 'a')
  const times: number[] = []
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      await appendDurably(handle, line)
      times.push(performance.now() - started)
    }
  } finally {
    await handle.close()
    await rm(path, { force: true })
  }
  return times
}

export interface StoredRows {
  decision: unknown
  review: unknown
  sentinel: unknown
}

/** The rows the app stored for its newest decision, read with raw IndexedDB. */
export async function storedRows(page: Page, projectId: string): Promise<StoredRows> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    const get = <T>(request: IDBRequest): Promise<T> =>
      new Promise((done, fail) => {
        request.onsuccess = () => done(request.result as T)
        request.onerror = () => fail(new Error(String(request.error)))
      })
    try {
      const tx = db.transaction(['decisions', 'reviews', 'sentinel'])
      const cursor = tx.objectStore('decisions').index('[projectId+at]').openCursor(null, 'prev')
      const decision = await get<IDBCursorWithValue | null>(cursor).then(
        (c) => c?.value as { sampleId: string },
      )
      const review = await get(tx.objectStore('reviews').get([id, decision.sampleId]))
      const sentinel = await get(tx.objectStore('sentinel').get(id))
      return { decision, review, sentinel }
    } finally {
      db.close()
    }
  }, projectId)
}

declare global {
  interface Window {
    __openScratchReviewDb?: (name: string) => Promise<IDBDatabase>
  }
}

/**
 * Defines, in the page, the opener of a scratch database whose stores have the keys and indexes of those a
 * decision's rows go into (decisions, reviews, sentinel): the baselines write there, not into the app's.
 */
export async function defineScratchStoreOpener(page: Page): Promise<void> {
  await defineNameHelper(page)
  await page.evaluate(() => {
    window.__openScratchReviewDb = (name) =>
      new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open(name, 1)
        request.onupgradeneeded = () => {
          const decisions = request.result.createObjectStore('decisions', { keyPath: ['projectId', 'id'] })
          decisions.createIndex('a', ['projectId', 'sampleId'])
          decisions.createIndex('b', ['projectId', 'at'])
          const reviews = request.result.createObjectStore('reviews', { keyPath: ['projectId', 'sampleId'] })
          reviews.createIndex('a', ['projectId', 'status'])
          request.result.createObjectStore('sentinel', { keyPath: 'projectId' })
        }
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(new Error(String(request.error)))
      })
  })
}

/** Milliseconds of each of `count` strict readwrite transactions putting those rows (fresh ids each time). */
export async function rawStrictTxTimes(page: Page, rows: StoredRows, count: number): Promise<number[]> {
  await defineScratchStoreOpener(page)
  return page.evaluate(
    async ({ rows, count }) => {
      const name = 'raw-review-bench'
      await new Promise((done) => {
        const request = indexedDB.deleteDatabase(name)
        request.onsuccess = request.onerror = () => done(null)
      })
      const db = await window.__openScratchReviewDb!(name)
      const times: number[] = []
      for (let i = 0; i < count; i++) {
        const decision = { ...(rows.decision as object), id: `raw-${i}`, seq: i + 1 }
        const review = { ...(rows.review as object), sampleId: `raw-sample-${i}` }
        const sentinel = { ...(rows.sentinel as object), lastSeq: i + 1 }
        const started = performance.now()
        await new Promise<void>((done, fail) => {
          const tx = db.transaction(['decisions', 'reviews', 'sentinel'], 'readwrite', {
            durability: 'strict',
          })
          tx.objectStore('decisions').put(decision)
          tx.objectStore('reviews').put(review)
          tx.objectStore('sentinel').put(sentinel)
          tx.oncomplete = () => done()
          tx.onerror = () => fail(new Error(String(tx.error)))
        })
        times.push(performance.now() - started)
      }
      db.close()
      await new Promise((done) => {
        const request = indexedDB.deleteDatabase(name)
        request.onsuccess = request.onerror = () => done(null)
      })
      return times
    },
    { rows, count },
  )
}
