// Keeps the store's projection of the open project level with main's project log: on open it compares the
// sentinel with the log head (rebuilding after a wipe and saying so), then pulls pages as events are
// appended. Views re-query when `version` changes.
import type { Api } from '@shared/ipc/contract'
import type { LogEvent, LogHead } from '@shared/domain/log-events'
import {
  api as defaultApi,
  onEvent as defaultOnEvent,
  onReconnect as defaultOnReconnect,
  type OnEvent,
} from '../lib/api'
import type { WinnowDb } from '../db/database'
import { applyEvents as defaultApplyEvents, clearProject } from '../db/projection'
import { prepareDecisionInputs, type PreparedInputs } from '../db/prepared-inputs'
import { assessStore, describeRebuild, type StoreReason } from '../db/recovery'
import { countSampleRows } from '../db/repos/samples.repo'
import { countCandidates } from '../db/repos/candidates.repo'
import { countDecisions } from '../db/repos/decisions.repo'
import { getSentinel } from '../db/repos/sentinel.repo'
import { StoreChanges, type StoreChange } from './store-changes'

export type SyncStatus = 'idle' | 'syncing' | 'rebuilding' | 'error'

export interface SyncProgress {
  /** Events applied since this sync began. */
  applied: number
  /** Events the log held beyond the store when this sync began (grows if the log does). */
  target: number
}

export type LogApi = Pick<Api, 'log.head' | 'log.read'>

export interface ProjectionSyncDeps {
  api?: LogApi
  onEvent?: OnEvent
  onReconnect?: (listener: () => void) => () => void
  /** Test seam: the projection's applier (a deliberately broken one must make the rebuild tests fail). */
  applyEvents?: typeof defaultApplyEvents
  /** A store written by a newer Winnow is shown as it is and never written. */
  isReadOnly?: boolean
  /**
   * The store existed before this start (it was not created by this open, and Chromium reported no data
   * loss): a project it holds nothing of has never been opened here, rather than lost. Default false.
   */
  storeExistedBefore?: boolean
  pageBytes?: number
}

type PassOutcome = 'done' | 'reassess'

interface SeqWaiter {
  seq: number
  generation: number
  resolve: () => void
  reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout>
}

/** Consecutive rebuild/gap retries before giving up, so a log that keeps changing cannot spin forever. */
const maxReassessments = 3
/** Inline events kept at most: a few decisions' worth; anything beyond is read from the log. */
const maxInlineEvents = 256

export class ProjectionSync {
  #status = $state<SyncStatus>('idle')
  #progress = $state.raw<SyncProgress>({ applied: 0, target: 0 })
  #notice = $state<string | null>(null)
  #error = $state<string | null>(null)
  #version = $state(0)
  #projectId = $state<string | null>(null)

  readonly #db: WinnowDb
  readonly #api: LogApi
  readonly #onEvent: OnEvent
  readonly #onReconnect: (listener: () => void) => () => void
  readonly #apply: typeof defaultApplyEvents
  readonly #isReadOnly: boolean
  readonly #storeExistedBefore: boolean
  /** Projects made here since start-up (restored from a backup): their absence from the store is expected. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  readonly #newHere = new Set<string>()
  readonly #pageBytes: number

  /** Bumped by open/close so a loop for an earlier project stops at its next step. */
  #generation = 0
  #loop: Promise<void> | null = null
  #isPullRequested = false
  #appliedSeq = 0
  #rebuildReason: StoreReason | null = null
  /** Callers of waitForSeq (a review decision is "saved" only once the store holds it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- pending promises, never rendered
  #waiters = new Set<SeqWaiter>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a buffer of events, never rendered
  #inline = new Map<number, LogEvent>()
  #inlineHead: LogHead | null = null
  /** The log the store follows, once a pass has read or written its sentinel; null until then. */
  #knownLogId: string | null = null
  /** The newest log position a log.appended notice has told of since the project was opened. */
  #noticedSeq = 0
  #unsubscribe: Array<() => void> = []
  readonly #changes = new StoreChanges()
  /** What the next decision's write will read, read ahead (prepareDecision); used once, by one page. */
  #prepared: { sampleId: string; afterSeq: number; inputs: Promise<PreparedInputs | null> } | null = null

  constructor(db: WinnowDb, deps: ProjectionSyncDeps = {}) {
    this.#db = db
    this.#api = deps.api ?? defaultApi
    this.#onEvent = deps.onEvent ?? defaultOnEvent
    this.#onReconnect = deps.onReconnect ?? defaultOnReconnect
    this.#apply = deps.applyEvents ?? defaultApplyEvents
    this.#isReadOnly = deps.isReadOnly ?? false
    this.#storeExistedBefore = deps.storeExistedBefore ?? false
    this.#pageBytes = deps.pageBytes ?? 8 * 1024 * 1024
  }

  get status(): SyncStatus {
    return this.#status
  }

  get progress(): SyncProgress {
    return this.#progress
  }

  /** A sentence for the person after a rebuild (e.g. after Chromium discarded the store), until dismissed. */
  get notice(): string | null {
    return this.#notice
  }

  get error(): string | null {
    return this.#error
  }

  /** Incremented after every change to the store, so views know to re-query. */
  get version(): number {
    return this.#version
  }

  /** What the pages applied after store version `version` changed (see store-changes.ts). */
  changesSince(version: number): StoreChange {
    return this.#changes.since(version, this.#version)
  }

  get projectId(): string | null {
    return this.#projectId
  }

  /** The project was just made here (restored from a backup): its first open reads its log without a notice. */
  expectFirstOpen(projectId: string): void {
    this.#newHere.add(projectId)
  }

  /** Resolves once the store holds everything the log held when it was asked; failures land in `error`. */
  async open(projectId: string): Promise<void> {
    this.close()
    const generation = this.#generation
    await this.#loop // a previous project's loop finishes its current page before this one starts
    if (generation !== this.#generation) return // superseded by a later open or close
    this.#projectId = projectId
    this.#notice = null
    this.#error = null
    if (this.#isReadOnly) return
    // Subscribe before reading the head, so an append in between schedules another pass instead of being lost.
    this.#unsubscribe = [
      this.#onEvent('log.appended', (payload) => {
        if (payload.projectId !== projectId) return
        this.#noticedSeq = Math.max(this.#noticedSeq, payload.head.lastSeq)
        if (payload.head.lastSeq <= this.#appliedSeq) return
        if (payload.events) this.#keepInline(payload.events, payload.head)
        this.#requestPull(generation)
      }),
      this.#onReconnect(() => this.#requestPull(generation)),
    ]
    this.#loop = this.#run(generation, projectId, true)
    await this.#loop
  }

  /**
   * Resolves once the store has applied the open project's log up to `seq` (the seq main answered for an
   * append). Rejects when the project closes or changes, when syncing fails, or after `timeoutMs`.
   */
  waitForSeq(seq: number, timeoutMs = 10_000): Promise<void> {
    const generation = this.#generation
    if (this.#projectId === null)
      return Promise.reject(new Error('No project is open, so the local database cannot catch up.'))
    if (this.#appliedSeq >= seq) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const waiter: SeqWaiter = {
        seq,
        generation,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter)
          reject(
            new Error(
              `The local database did not catch up with the project log within ${Math.round(timeoutMs / 1000)} s ` +
                `(it holds up to event ${this.#appliedSeq}, waiting for ${seq}).`,
            ),
          )
        }, timeoutMs),
      }
      this.#waiters.add(waiter)
      // Do not rely on the log.appended event alone: it may race this call or be lost with a connection.
      // Once a notice has told of this seq, though, it has already asked for the pass that reaches it; a
      // second pass would only cost a read of the sentinel and of the log, in the way of the next decision.
      if (this.#noticedSeq < seq) this.#requestPull(generation)
    })
  }

  /**
   * A decision on this sample is about to be recorded: read what its store write will read now, while main
   * appends it to the log, so the write need not wait for those reads (see applyEvents). Repeated for the
   * same sample and store position, it reads nothing again.
   */
  prepareDecision(sampleId: string): void {
    const projectId = this.#projectId
    if (projectId === null || this.#isReadOnly || this.#status === 'rebuilding') return
    const prepared = this.#prepared
    if (prepared?.sampleId === sampleId && prepared.afterSeq === this.#appliedSeq) return
    const inputs = prepareDecisionInputs(this.#db, projectId, [sampleId]).catch(() => null)
    this.#prepared = { sampleId, afterSeq: this.#appliedSeq, inputs }
  }

  dismissNotice(): void {
    this.#notice = null
  }

  close(): void {
    this.#generation += 1
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
    this.#projectId = null
    this.#status = 'idle'
    this.#isPullRequested = false
    this.#rebuildReason = null
    this.#inline.clear()
    this.#inlineHead = null
    this.#prepared = null
    this.#noticedSeq = 0
    this.#knownLogId = null
    this.#changes.clear()
    this.#rejectWaiters('The project was closed before the local database caught up with its log.')
  }

  /** Events shipped with their notice (urgent appends), kept until a pass applies them; bounded. */
  #keepInline(events: LogEvent[], head: LogHead): void {
    for (const event of events) this.#inline.set(event.seq, event)
    if (this.#inlineHead === null || head.lastSeq > this.#inlineHead.lastSeq) this.#inlineHead = head
    for (const seq of this.#inline.keys()) {
      if (this.#inline.size <= maxInlineEvents && seq > this.#appliedSeq) break
      this.#inline.delete(seq) // oldest first (insertion order); already applied or over the bound
    }
  }

  /**
   * The page after `afterSeq` from kept inline events, when they hold every event up to the newest head
   * seen; null otherwise (a bulk append in between must be read from the log).
   */
  #takeInline(afterSeq: number): { events: LogEvent[]; head: LogHead } | null {
    const head = this.#inlineHead
    if (head === null || head.lastSeq <= afterSeq) return null
    const events: LogEvent[] = []
    for (let seq = afterSeq + 1; seq <= head.lastSeq; seq++) {
      const event = this.#inline.get(seq)
      if (event === undefined) return null
      events.push(event)
    }
    for (const event of events) this.#inline.delete(event.seq)
    return { events, head }
  }

  /** The store advanced: release every waiter it has now reached. */
  #releaseWaiters(): void {
    for (const waiter of this.#waiters) {
      if (waiter.generation !== this.#generation || waiter.seq > this.#appliedSeq) continue
      clearTimeout(waiter.timer)
      this.#waiters.delete(waiter)
      waiter.resolve()
    }
  }

  #rejectWaiters(message: string): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer)
      waiter.reject(new Error(message))
    }
    this.#waiters.clear()
  }

  #requestPull(generation: number): void {
    if (generation !== this.#generation || this.#projectId === null) return
    // One loop at a time: a notification during a pass asks for exactly one more pass.
    if (this.#loop !== null) {
      this.#isPullRequested = true
      return
    }
    this.#loop = this.#run(generation, this.#projectId, false)
  }

  async #run(generation: number, projectId: string, assess: boolean): Promise<void> {
    let mustAssess = assess
    let reassessments = 0
    try {
      do {
        this.#isPullRequested = false
        const outcome = await this.#pass(generation, projectId, mustAssess)
        mustAssess = outcome === 'reassess'
        if (mustAssess && ++reassessments > maxReassessments) {
          throw new Error('the project log kept changing while Winnow was reading it')
        }
      } while ((mustAssess || this.#isPullRequested) && generation === this.#generation)
      if (generation === this.#generation) {
        this.#status = 'idle'
        this.#error = null
      }
    } catch (error) {
      if (generation !== this.#generation) return
      this.#status = 'error'
      const detail = error instanceof Error ? error.message : String(error)
      this.#error = `Winnow could not bring this project's local database up to date with its log: ${detail}`
      this.#rejectWaiters(this.#error)
    } finally {
      if (generation === this.#generation) this.#loop = null
    }
  }

  /** One pass: optionally assess (and clear for a rebuild), then pull pages until the log's end. */
  async #pass(generation: number, projectId: string, assess: boolean): Promise<PassOutcome> {
    const db = this.#db
    this.#status = 'syncing'
    if (assess) {
      const head = await this.#api['log.head']({ projectId })
      const sentinel = (await getSentinel(db, projectId)) ?? null
      const actualSampleCount = await countSampleRows(db, projectId)
      const isFirstOpenHere = this.#storeExistedBefore || this.#newHere.has(projectId)
      const { action, reason } = assessStore({ sentinel, actualSampleCount, head, isFirstOpenHere })
      if (generation !== this.#generation) return 'done'
      if (action === 'none') {
        this.#appliedSeq = head.lastSeq
        this.#knownLogId = head.logId
        this.#releaseWaiters()
        return 'done'
      }
      if (action === 'rebuild') {
        this.#status = 'rebuilding'
        // Kept across passes: if the log changes mid-rebuild, the pass that finishes it still says so.
        this.#rebuildReason = reason
        await clearProject(db, projectId)
        this.#version += 1
        this.#changes.recordEverything(this.#version)
      }
    }

    // After the first pass the store's position is known here, and the apply transaction itself refuses a
    // gap or another log (then this pass reassesses): reading the sentinel again would only queue one more
    // read transaction in front of the write a person is waiting for.
    let logId = this.#knownLogId
    if (assess || logId === null) {
      const sentinel = await getSentinel(db, projectId)
      logId = sentinel?.logId ?? null
      this.#appliedSeq = sentinel?.lastSeq ?? 0
    }
    const fromSeq = this.#appliedSeq
    this.#progress = { applied: 0, target: 0 }
    const read = (afterSeq: number): Promise<{ events: LogEvent[]; head: LogHead }> =>
      Promise.resolve(this.#takeInline(afterSeq)) // events that came with their notice, when they are all there
        .then((page) => page ?? this.#api['log.read']({ projectId, afterSeq, maxBytes: this.#pageBytes }))
    let next = read(fromSeq)
    for (;;) {
      const page = await next
      if (generation !== this.#generation) return 'done'
      if (logId !== null && page.head.logId !== logId) return 'reassess' // the log was replaced under us
      const last: LogEvent | undefined = page.events.at(-1)
      this.#progress = { applied: this.#progress.applied, target: Math.max(0, page.head.lastSeq - fromSeq) }
      if (last === undefined) break
      const hasMore = last.seq < page.head.lastSeq
      // Pipelining: fetch the next page while this one is written. A failed prefetch is reported when awaited.
      if (hasMore) {
        next = read(last.seq)
        next.catch(() => undefined)
      }
      const outcome = await this.#applyPage(projectId, page.events, page.head)
      if (outcome === 'reassess') return 'reassess'
      this.#appliedSeq = last.seq
      this.#knownLogId = page.head.logId
      this.#releaseWaiters()
      this.#progress = { applied: last.seq - fromSeq, target: this.#progress.target }
      this.#version += 1
      this.#changes.recordPage(this.#version, page.events)
      if (!hasMore || generation !== this.#generation) break
    }
    if (this.#rebuildReason !== null && generation === this.#generation) {
      const samples = (await getSentinel(db, projectId))?.sampleCount ?? 0
      const [candidates, decisions] = await Promise.all([
        countCandidates(db, projectId),
        countDecisions(db, projectId),
      ])
      this.#notice = describeRebuild(this.#rebuildReason, { samples, candidates, decisions })
      this.#rebuildReason = null
    }
    return 'done'
  }

  /**
   * What was read ahead for a decision in this page, if it was read at the store's present position (else
   * a page applied since has made it stale: the page reads for itself). Used once; the transaction still
   * checks that nobody else (another window) changed the store meanwhile.
   */
  async #takePrepared(events: readonly LogEvent[]): Promise<PreparedInputs | null> {
    const prepared = this.#prepared
    if (prepared === null || !events.some((event) => event.kind === 'decision.recorded')) return null
    this.#prepared = null
    const inputs = await prepared.inputs
    return inputs?.sentinel?.lastSeq === this.#appliedSeq ? inputs : null
  }

  async #applyPage(projectId: string, events: LogEvent[], head: LogHead): Promise<PassOutcome> {
    try {
      await this.#apply(this.#db, projectId, events, head, await this.#takePrepared(events))
      return 'done'
    } catch (error) {
      // Another window may have rebuilt or advanced the store meanwhile: look again rather than fail.
      const name = error instanceof Error ? error.name : ''
      if (name === 'ProjectionGapError' || name === 'ProjectionLogMismatchError') return 'reassess'
      throw error
    }
  }
}
