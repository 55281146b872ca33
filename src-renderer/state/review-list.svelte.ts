// The loaded part of a review queue: sample ids in import order, read one page at a time. The next page
// is read in the background while the person still has samples left, so reaching the end of a page never
// makes them wait; a page read for a queue that was since read afresh is dropped.
import type { WinnowDb } from '../db/database'
import { loadQueuePage, type QueueName } from './review-queue'

export interface ListSource {
  db: WinnowDb
  projectId: string
  /** The disagreements queue's samples, asked of main when that queue was chosen. */
  disagreements?: readonly string[]
  annotator?: string
  flagReason?: string | null
  model?: string | null
}

export class ReviewList {
  #ids = $state.raw<string[]>([])
  /** Where the next page starts (null: the loaded ids reach the last sample). */
  #nextAfterOrd: number | null = null
  #extension: Promise<void> | null = null
  /** Bumped whenever the queue is read afresh or emptied. */
  #generation = 0

  constructor(private readonly pageSize: number) {}

  get ids(): readonly string[] {
    return this.#ids
  }

  clear(): void {
    this.#generation += 1
    this.#ids = []
    this.#nextAfterOrd = null
    this.#extension = null
  }

  /** Reads the queue's first page afresh; false when a later reload or clear superseded this one. */
  async reload(source: ListSource | null, queue: QueueName): Promise<boolean> {
    this.clear()
    const generation = this.#generation
    if (source === null) return true
    const page = await loadQueuePage(source.db, source.projectId, queue, {
      limit: this.pageSize,
      disagreements: source.disagreements,
      annotator: source.annotator,
      flagReason: source.flagReason,
      model: source.model,
    })
    if (generation !== this.#generation) return false
    this.#ids = page.ids
    this.#nextAfterOrd = page.nextAfterOrd
    return true
  }

  /** Starts reading the next page, unless one is being read or the queue is all loaded. */
  extend(source: ListSource, queue: QueueName, onAdded: () => void, onError: (error: unknown) => void): void {
    const afterOrd = this.#nextAfterOrd
    if (afterOrd === null || this.#extension !== null) return
    const generation = this.#generation
    const extension: Promise<void> = (async () => {
      try {
        const page = await loadQueuePage(source.db, source.projectId, queue, {
          limit: this.pageSize,
          afterOrd,
          disagreements: source.disagreements,
          annotator: source.annotator,
          flagReason: source.flagReason,
          model: source.model,
        })
        if (generation !== this.#generation) return
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, never rendered
        const known = new Set(this.#ids)
        this.#ids = [...this.#ids, ...page.ids.filter((id) => !known.has(id))]
        this.#nextAfterOrd = page.nextAfterOrd
        onAdded()
      } catch (error) {
        if (generation === this.#generation) onError(error)
      }
    })()
    this.#extension = extension
    void extension.finally(() => {
      if (this.#extension === extension) this.#extension = null
    })
  }

  /** Resolves once a page being read in the background is in (at once when none is). */
  async settled(): Promise<void> {
    await this.#extension
  }
}
