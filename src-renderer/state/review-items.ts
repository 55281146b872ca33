// Review items read ahead of need: the next sample's item is loaded while the person looks at the current
// one, so moving on shows it without waiting for the store. A pending read is shared, never repeated.
import type { WinnowDb } from '../db/database'
import { loadItem, type ReviewItem } from './review-queue'

export interface ItemSource {
  db: WinnowDb
  projectId: string
  annotator: string
}

export class ItemCache {
  // A plain Map: a cache of pending reads, never rendered.
  readonly #pending = new Map<string, Promise<ReviewItem | null>>()

  /** The item, from the read-ahead when there is one (taken out: the next look reads afresh). */
  take(source: ItemSource, sampleId: string): Promise<ReviewItem | null> {
    const cached = this.#pending.get(sampleId)
    if (cached !== undefined) {
      this.#pending.delete(sampleId)
      return cached
    }
    return this.#read(source, sampleId)
  }

  /** Starts reading the item now, unless a read of it is already under way. */
  prepare(source: ItemSource, sampleId: string): void {
    if (!this.#pending.has(sampleId)) this.#pending.set(sampleId, this.#read(source, sampleId))
  }

  /** The store changed this sample's rows: a read of it made before may be stale. */
  forget(sampleId: string): void {
    this.#pending.delete(sampleId)
  }

  /** The store changed or the annotator did: what was read ahead may be stale. */
  clear(): void {
    this.#pending.clear()
  }

  #read(source: ItemSource, sampleId: string): Promise<ReviewItem | null> {
    const loading = loadItem(source.db, source.projectId, sampleId, source.annotator)
    loading.catch(() => undefined) // reported by whoever awaits it
    return loading
  }
}
