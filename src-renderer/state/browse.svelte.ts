// The browse view's state: filter, debounced text search, the row count, a page cache for the virtualized
// table (pages of 200 rows fetched by position, at most ~60 kept), the selection and the open detail.
// Store changes (the projection applied more of the log) mark pages stale; stale rows stay on screen
// until their refetch lands, so a running import does not make the table flicker.
import type { Origin } from '@shared/domain/sample'
import type { SampleRow, WinnowDb } from '../db/database'
import {
  countSamples,
  pageSamples,
  pageSamplesAfter,
  searchSamples,
  type SampleFilter,
} from '../db/repos/samples.repo'
import { getSentinel } from '../db/repos/sentinel.repo'

export const pageSize = 200
export const searchLimit = 1000
const maxCachedPages = 60
const searchDebounceMs = 250
const storeRefreshMs = 400

interface CachedPage {
  rows: SampleRow[]
  freshness: number
}

export class BrowseState {
  #db: WinnowDb | null = null
  #projectId = $state<string | null>(null)
  #filter = $state<SampleFilter>({ origin: null, batchId: null })
  #query = $state('')
  #activeQuery = $state('')
  #total = $state(0)
  #search = $state.raw<{ rows: SampleRow[]; hasMore: boolean } | null>(null)
  #isSearching = $state(false)
  #error = $state<string | null>(null)
  #selectedIndex = $state(-1)
  #isDetailOpen = $state(false)
  /** Bumped whenever the cache changes, so rowAt() readers re-run. */
  #cacheTick = $state(0)

  // Deliberately not reactive: the table re-reads through #cacheTick once per landed page, not once per key.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  readonly #pages = new Map<number, CachedPage>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of requests, never rendered
  readonly #inFlight = new Set<number>()
  /** Bumped on project or filter change: answers for an older generation are dropped. */
  #generation = 0
  /** Bumped on store change: cached pages older than this are refetched when visible. */
  #freshness = 0
  #visible = { start: 0, end: 0 }
  /**
   * When the rows matching the filter have the consecutive ords base+1 … base+count (always so for the whole
   * project, and for one batch), row i is the one with ord base+1+i: pages are fetched by ord, in
   * constant time at any depth. Null when not known to be dense: pages then skip by offset.
   */
  #denseBase: number | null = null
  /** How long the last count took: refreshes during an import are spaced so counting never dominates. */
  #recountMs = 0
  /** Only a screen on view re-reads as the log is applied; one that was not catches up when shown. */
  #isShown = false
  #isStale = false
  #debounce: ReturnType<typeof setTimeout> | null = null
  #refreshTimer: ReturnType<typeof setTimeout> | null = null
  #searchAbort: AbortController | null = null

  get projectId(): string | null {
    return this.#projectId
  }

  get filter(): SampleFilter {
    return this.#filter
  }

  get query(): string {
    return this.#query
  }

  /** The query the shown results are for (the typed one, 250 ms later). */
  get activeQuery(): string {
    return this.#activeQuery
  }

  get isSearchMode(): boolean {
    return this.#activeQuery !== ''
  }

  /** True from the first keystroke until the matches for what was typed are in. */
  get isSearching(): boolean {
    return this.#isSearching || this.#query.trim() !== this.#activeQuery
  }

  /** Rows the table shows: all matching the filter, or the search matches found (up to the limit). */
  get count(): number {
    return this.isSearchMode ? (this.#search?.rows.length ?? 0) : this.#total
  }

  /** All samples matching the filter, whatever the search. */
  get total(): number {
    return this.#total
  }

  /** True when the search stopped at its limit and more matches exist. */
  get isSearchTruncated(): boolean {
    return this.#search?.hasMore ?? false
  }

  get error(): string | null {
    return this.#error
  }

  get selectedIndex(): number {
    return this.#selectedIndex
  }

  get selected(): SampleRow | undefined {
    return this.#selectedIndex < 0 ? undefined : this.rowAt(this.#selectedIndex)
  }

  get isDetailOpen(): boolean {
    return this.#isDetailOpen
  }

  rowAt(index: number): SampleRow | undefined {
    if (this.isSearchMode) return this.#search?.rows[index]
    void this.#cacheTick
    return this.#pages.get(Math.floor(index / pageSize))?.rows[index % pageSize]
  }

  open(db: WinnowDb, projectId: string): void {
    this.close()
    this.#db = db
    this.#projectId = projectId
    void this.#recount()
  }

  close(): void {
    this.#db = null
    this.#projectId = null
    this.#query = ''
    this.#activeQuery = ''
    this.#search = null
    this.#filter = { origin: null, batchId: null }
    this.#total = 0
    this.#error = null
    if (this.#debounce) clearTimeout(this.#debounce)
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer)
    this.#refreshTimer = null
    this.#searchAbort?.abort()
    this.#resetRows()
  }

  setOrigin(origin: Origin | null): void {
    this.#filter = { ...this.#filter, origin }
    this.#filterChanged()
  }

  setBatch(batchId: string | null): void {
    this.#filter = { ...this.#filter, batchId }
    this.#filterChanged()
  }

  typeQuery(query: string): void {
    this.#query = query
    if (this.#debounce) clearTimeout(this.#debounce)
    this.#debounce = setTimeout(() => this.#runQuery(query.trim()), searchDebounceMs)
  }

  clearQuery(): void {
    this.#query = ''
    if (this.#debounce) clearTimeout(this.#debounce)
    this.#runQuery('')
  }

  /** The table tells which rows are on screen (with overscan); missing or stale pages are fetched. */
  showRange(start: number, end: number): void {
    this.#visible = { start, end }
    if (this.isSearchMode || end <= start) return
    const first = Math.floor(start / pageSize)
    const last = Math.floor((end - 1) / pageSize)
    for (let page = first; page <= last; page++) {
      const cached = this.#pages.get(page)
      if (!cached || cached.freshness < this.#freshness) void this.#fetchPage(page)
    }
  }

  /** The screen is on view: catch up with what the store applied while it was not. */
  show(): void {
    this.#isShown = true
    if (!this.#isStale) return
    this.#isStale = false
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer)
    this.#refreshTimer = null
    this.#refresh()
  }

  hide(): void {
    this.#isShown = false
  }

  /**
   * The projection applied more of the log: recount, refetch what is visible, re-run the search. Throttled,
   * because a running import changes the store many times a second; not at all while another screen is on
   * view, where its reads (a count of every sample among them) queued in IndexedDB in front of review
   * decisions' writes (bench:review).
   */
  storeChanged(): void {
    if (this.#db === null) return
    if (!this.#isShown) {
      this.#isStale = true
      return
    }
    if (this.#refreshTimer !== null) return
    this.#refreshTimer = setTimeout(
      () => {
        this.#refreshTimer = null
        this.#refresh()
      },
      Math.max(storeRefreshMs, 2 * this.#recountMs),
    )
  }

  #refresh(): void {
    if (this.#db === null) return
    this.#freshness++
    void this.#recount()
    this.showRange(this.#visible.start, this.#visible.end)
    if (this.isSearchMode) void this.#runSearch(this.#activeQuery)
  }

  select(index: number): void {
    if (this.count === 0) return
    this.#selectedIndex = Math.min(Math.max(0, index), this.count - 1)
  }

  moveSelection(delta: number): void {
    this.select(this.#selectedIndex < 0 ? 0 : this.#selectedIndex + delta)
  }

  openDetail(): void {
    if (this.#selectedIndex < 0) this.select(0)
    this.#isDetailOpen = this.#selectedIndex >= 0
  }

  closeDetail(): void {
    this.#isDetailOpen = false
  }

  #filterChanged(): void {
    this.#resetRows()
    void this.#recount()
    if (this.isSearchMode) void this.#runSearch(this.#activeQuery)
  }

  #resetRows(): void {
    this.#generation++
    this.#denseBase = null
    this.#pages.clear()
    this.#inFlight.clear()
    this.#selectedIndex = -1
    this.#isDetailOpen = false
    this.#cacheTick++
  }

  #runQuery(query: string): void {
    if (query === this.#activeQuery) return
    this.#activeQuery = query
    this.#selectedIndex = -1
    this.#isDetailOpen = false
    if (query === '') {
      this.#searchAbort?.abort()
      this.#search = null
      this.#isSearching = false
      return
    }
    void this.#runSearch(query)
  }

  async #runSearch(query: string): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    this.#searchAbort?.abort()
    const abort = new AbortController()
    this.#searchAbort = abort
    this.#isSearching = true
    try {
      const result = await searchSamples(db, projectId, query, this.#filter, {
        limit: searchLimit,
        signal: abort.signal,
      })
      if (abort.signal.aborted) return
      this.#search = result
      this.#error = null
    } catch (error) {
      if (!abort.signal.aborted) this.#error = `Search failed: ${describe(error)}`
    } finally {
      if (this.#searchAbort === abort) this.#isSearching = false
    }
  }

  async #recount(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    const generation = this.#generation
    const filter = this.#filter
    if (db === null || projectId === null) return
    try {
      const startedAt = performance.now()
      const total = await countRows(db, projectId, filter)
      this.#recountMs = performance.now() - startedAt
      const denseBase = await findDenseBase(db, projectId, filter, total)
      if (generation === this.#generation && projectId === this.#projectId) {
        this.#total = total
        this.#denseBase = denseBase
      }
    } catch (error) {
      this.#error = `Could not count samples: ${describe(error)}`
    }
  }

  async #fetchPage(page: number): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null || this.#inFlight.has(page)) return
    const generation = this.#generation
    const freshness = this.#freshness
    this.#inFlight.add(page)
    try {
      // Keyset paging (after a known ord) costs the same at any depth; skipping an offset grows with it.
      const previous = this.#pages.get(page - 1)?.rows
      const last = previous?.length === pageSize ? previous.at(-1) : undefined
      const afterOrd = last?.ord ?? (this.#denseBase === null ? null : this.#denseBase + page * pageSize)
      const rows =
        afterOrd !== null
          ? await pageSamplesAfter(db, projectId, this.#filter, afterOrd, pageSize)
          : await pageSamples(db, projectId, this.#filter, page * pageSize, pageSize)
      if (generation !== this.#generation) return
      this.#pages.set(page, { rows, freshness })
      this.#evictFar(page)
      this.#cacheTick++
    } catch (error) {
      if (generation === this.#generation) this.#error = `Could not read samples: ${describe(error)}`
    } finally {
      if (generation === this.#generation) this.#inFlight.delete(page)
    }
  }

  #evictFar(center: number): void {
    if (this.#pages.size <= maxCachedPages) return
    const byDistance = [...this.#pages.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center))
    for (const page of byDistance.slice(0, this.#pages.size - maxCachedPages)) this.#pages.delete(page)
  }
}

/**
 * The whole project's count is the sentinel's, written in the same transaction as the rows (constant time);
 * a filter's count walks its index (about a second per 100,000 rows here).
 */
async function countRows(db: WinnowDb, projectId: string, filter: SampleFilter): Promise<number> {
  if (filter.origin !== null || filter.batchId !== null) return countSamples(db, projectId, filter)
  return (await getSentinel(db, projectId))?.sampleCount ?? 0
}

/**
 * Ords are unique positive integers, so count rows whose smallest ord is base+1 and largest is base+count
 * are exactly base+1 … base+count. Two small keyed reads; null when the rows have gaps.
 */
async function findDenseBase(
  db: WinnowDb,
  projectId: string,
  filter: SampleFilter,
  count: number,
): Promise<number | null> {
  if (count === 0) return null
  const [first] = await pageSamples(db, projectId, filter, 0, 1)
  if (first === undefined) return null
  const base = first.ord - 1
  const tail = await pageSamplesAfter(db, projectId, filter, base + count - 1, 2)
  return tail.length === 1 && tail[0]?.ord === base + count ? base : null
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))
