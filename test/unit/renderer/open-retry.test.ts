// Chromium answers the first open of a corrupt LevelDB store with UnknownError ("Internal error opening
// backing store") and discards the data; the next open succeeds on an empty store. openDatabase must retry
// that error (and only that one) so start-up goes on to rebuild from the log instead of stopping.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openDatabase, StoreOpenError, type StoreFactory } from '../../../src-renderer/db/database'

/** An open request that fails the way Chromium's does, asynchronously, through the on* handlers. */
class FailingOpenRequest extends EventTarget {
  readonly error: DOMException
  onerror: ((event: Event) => void) | null = null
  onsuccess: ((event: Event) => void) | null = null
  onupgradeneeded: ((event: Event) => void) | null = null
  onblocked: ((event: Event) => void) | null = null
  readonly readyState = 'done'
  readonly result = undefined

  constructor(name: string) {
    super()
    this.error = new DOMException('Internal error opening backing store for indexedDB.open.', name)
    setTimeout(() => {
      const event = new Event('error', { cancelable: true })
      this.dispatchEvent(event)
      this.onerror?.(event)
    }, 0)
  }
}

function failingFirst(
  times: number,
  errorName = 'UnknownError',
): { factory: StoreFactory; opens: () => number } {
  let opens = 0
  const real = indexedDB
  const wrapped = {
    open(name: string, version?: number) {
      opens++
      if (opens <= times) return new FailingOpenRequest(errorName) as unknown as IDBOpenDBRequest
      return version === undefined ? real.open(name) : real.open(name, version)
    },
    deleteDatabase: (name: string) => real.deleteDatabase(name),
    cmp: (a: unknown, b: unknown) => real.cmp(a, b),
    databases: () => real.databases(),
  } satisfies IDBFactory
  return { factory: { indexedDB: wrapped, IDBKeyRange }, opens: () => opens }
}

describe('opening a store Chromium found corrupt', () => {
  // Dexie itself retries an UnknownError up to three times at once (its PR 1398 workaround); in Chromium
  // that is not always enough while the damaged store is being discarded, so openDatabase waits and retries.
  it('retries the backing-store failure beyond the retries Dexie makes itself and opens a fresh store', async () => {
    const { factory, opens } = failingFirst(6)
    const store = await openDatabase(`retry-${randomUUID()}`, factory, [1, 1, 1])
    expect(opens()).toBe(7)
    expect(store.storeCreatedFresh).toBe(true)
    store.db.close()
  })

  it('reports the failure when it persists, after the retries', async () => {
    const { factory, opens } = failingFirst(1_000)
    await expect(openDatabase(`retry-${randomUUID()}`, factory, [1, 1])).rejects.toBeInstanceOf(
      StoreOpenError,
    )
    expect(opens()).toBe(3 * 4)
  })

  it('does not retry other failures', async () => {
    const { factory, opens } = failingFirst(1_000, 'QuotaExceededError')
    await expect(openDatabase(`retry-${randomUUID()}`, factory, [1, 1])).rejects.toMatchObject({
      code: 'storage-full',
    })
    expect(opens()).toBe(1)
  })
})
