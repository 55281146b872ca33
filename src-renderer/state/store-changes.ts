// What the store's projection changed, as far as the views care. A review decision touches one sample's
// review and decisions and nothing else; the Review screen re-read its current item, the next one and the
// counts after every applied page, and those reads queued in IndexedDB in front of the next decision's
// write (bench:review). Views that know a change is only decisions on other samples can skip their reads.
import type { LogEvent } from '@shared/domain/log-events'

/** Decisions on these samples and nothing else changed, or anything may have. */
export type StoreChange = { decidedSampleIds: ReadonlySet<string> } | 'everything'

interface PageChange {
  version: number
  /** Null: the page held more than decisions (or the store was cleared). */
  decided: readonly string[] | null
}

/** Pages remembered: a view further behind than this sees 'everything'. */
const maxPages = 64

export class StoreChanges {
  #pages: PageChange[] = []

  /** An applied page, at the store version it brought. */
  recordPage(version: number, events: readonly LogEvent[]): void {
    const decided: string[] = []
    for (const event of events) {
      if (event.kind !== 'decision.recorded') return this.#push({ version, decided: null })
      decided.push((event.data as { decision: { sampleId: string } }).decision.sampleId)
    }
    this.#push({ version, decided })
  }

  /** The store was cleared or replaced at this version. */
  recordEverything(version: number): void {
    this.#push({ version, decided: null })
  }

  /** What changed after `version` up to `current`; 'everything' when a page in between is not remembered. */
  since(version: number, current: number): StoreChange {
    const ids = new Set<string>()
    let seen = 0
    for (const page of this.#pages) {
      if (page.version <= version || page.version > current) continue
      if (page.decided === null) return 'everything'
      for (const id of page.decided) ids.add(id)
      seen++
    }
    return seen === current - version ? { decidedSampleIds: ids } : 'everything'
  }

  clear(): void {
    this.#pages = []
  }

  #push(page: PageChange): void {
    this.#pages.push(page)
    if (this.#pages.length > maxPages) this.#pages.shift()
  }
}
