// The Review screen's state: a queue of samples, the current item (with the next one prefetched so moving
// on is instant), and the decisions recorded on it. A decision is "saved" only once main has flushed it to
// the project log AND the store has applied the log up to it; until then it is "saving", or "failed".
import type { Api, Reply } from '@shared/ipc/contract'
import { undoTarget } from '@shared/domain/review-state'
import { uuidv7 } from '@shared/ids/uuidv7'
import type { WinnowDb } from '../db/database'
import { api as defaultApi } from '../lib/api'
import { AnnotatorProfile } from './annotator-profile.svelte'
import { buildDecision, type DecisionInput, type DecisionKind } from './review-decision'
import { ItemCache, type ItemSource } from './review-items'
import { coalesced, readReviewCounts, type ReviewProgressCounts } from './review-progress'
import { ReviewList, type ListSource } from './review-list.svelte'
import { generationModels } from '../db/repos/jobs.repo'
import { loadItem, type QueueName, type ReviewItem } from './review-queue'
import type { StoreChange } from './store-changes'

export type { ReviewProgressCounts }

export type SaveStatus = 'saving' | 'saved' | 'failed'
export interface DecisionEntry {
  id: string
  kind: DecisionKind
  sampleId: string
  status: SaveStatus
  error: string | null
}
export type Verdict = Reply<'review.verify'>

type ReviewApi = Pick<Api, 'review.decide' | 'review.verify' | 'merge.agreement'>

export interface ReviewDeps {
  api?: ReviewApi
  /** Resolves once the store has applied the log up to seq (ProjectionSync.waitForSeq). */
  waitForSeq: (seq: number) => Promise<void>
  /** A decision on this sample may come: read ahead what its store write reads (ProjectionSync). */
  prepareDecision?: (sampleId: string) => void
  now?: () => number
  queueLimit?: number
}

const maxEntries = 50
/** With this few samples left in the loaded queue, the next page is read in the background. */
const queueLowWater = 50
/** How often the progress counts are read again while decisions are being saved. */
const countsIntervalMs = 400
/**
 * How long moving on waits for the decisions still being saved, so that their "saved" and the next item
 * are drawn in one frame. Drawn apart, the next item's frame ran in the middle of the save and held its
 * store callbacks up by a frame's work (bench:review); a slow save never holds the next item up longer.
 */
const moveOnWaitMs = 50
/**
 * A decision is listed as "saving" only once its save has taken this long; a quicker one appears straight
 * as "saved". Below it "saving" is a flicker nobody can read, announced to screen readers all the same, and
 * a frame drawn in the middle of the save (bench:review).
 */
const savingShownAfterMs = 100

export class ReviewState {
  readonly profile = new AnnotatorProfile()
  #queueName = $state<QueueName>('unreviewed')
  #index = $state(0)
  #item = $state.raw<ReviewItem | null>(null)
  #focus = $state(0)
  #isLoading = $state(false)
  #error = $state<string | null>(null)
  #entries = $state.raw<DecisionEntry[]>([])
  #progress = $state.raw<ReviewProgressCounts>({ done: 0, total: 0 })
  #hasCandidates = $state(false)
  #verdict = $state.raw<Verdict | null>(null)
  #verifyError = $state<string | null>(null)
  #isVerifying = $state(false)
  #savedCount = $state(0)
  #firstSavedAt: number | null = null
  /** Only a screen on view re-reads the store as the log is applied (a big import bumps it often). */
  #isShown = false

  readonly #api: ReviewApi
  readonly #waitForSeq: (seq: number) => Promise<void>
  readonly #prepareDecision: (sampleId: string) => void
  readonly #now: () => number
  readonly #list: ReviewList
  #db: WinnowDb | null = null
  #projectId: string | null = null
  #flagReason = $state<string | null>(null)
  #model = $state<string | null>(null)
  /** The models the project's generation jobs used: what the model filter offers. */
  #models = $state.raw<string[]>([])
  /** The disagreements queue's samples, as main last named them (asked whenever that queue is read). */
  #disagreements: readonly string[] = []
  #shownAt = 0
  readonly #items = new ItemCache()
  #countsTimer: ReturnType<typeof setTimeout> | null = null
  /** Decisions go to main one after another, so an undo always sees what was recorded before it. */
  #chain: Promise<unknown> = Promise.resolve()
  /**
   * The sample the person asked to move on from, while that waits for its saves: re-reading it to show its
   * saved state would only hold up the next item.
   */
  #leaving: string | null = null
  /** Decisions not listed yet: saving for less than savingShownAfterMs. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timers, never rendered
  readonly #unlisted = new Map<string, { entry: DecisionEntry; timer: ReturnType<typeof setTimeout> }>()

  constructor(deps: ReviewDeps) {
    this.#api = deps.api ?? defaultApi
    this.#waitForSeq = deps.waitForSeq
    this.#prepareDecision = deps.prepareDecision ?? (() => undefined)
    this.#now = deps.now ?? Date.now
    this.#list = new ReviewList(deps.queueLimit ?? 500)
  }

  get queueName(): QueueName {
    return this.#queueName
  }
  get flagReason(): string | null {
    return this.#flagReason
  }
  get model(): string | null {
    return this.#model
  }
  get models(): readonly string[] {
    return this.#models
  }
  get queue(): readonly string[] {
    return this.#list.ids
  }
  get position(): number {
    return this.#index
  }
  get item(): ReviewItem | null {
    return this.#item
  }
  /** The candidate (index in shown order) that e, f and n act on. */
  get focus(): number {
    return this.#focus
  }
  get isLoading(): boolean {
    return this.#isLoading
  }
  get error(): string | null {
    return this.#error
  }
  /** This session's decisions, newest first, each with its save status. */
  get entries(): readonly DecisionEntry[] {
    return this.#entries
  }
  get progress(): ReviewProgressCounts {
    return this.#progress
  }
  /** Whether any sample has a complete candidate (without one there is nothing to review). */
  get hasCandidates(): boolean {
    return this.#hasCandidates
  }
  get verdict(): Verdict | null {
    return this.#verdict
  }
  get verifyError(): string | null {
    return this.#verifyError
  }
  get isVerifying(): boolean {
    return this.#isVerifying
  }
  /** Saved decisions per hour in this session (undos included: they are work too); null before two. */
  get decisionsPerHour(): number | null {
    if (this.#firstSavedAt === null || this.#savedCount < 2) return null
    const hours = Math.max(60_000, this.#now() - this.#firstSavedAt) / 3_600_000
    return Math.round(this.#savedCount / hours)
  }

  open(db: WinnowDb, projectId: string): void {
    this.#db = db
    this.#projectId = projectId
    this.#entries = []
    this.#forgetUnlisted()
    this.#verdict = null
    this.#savedCount = 0
    this.#firstSavedAt = null
    this.#disagreements = []
    this.#list.clear()
    this.#item = null
  }

  async show(): Promise<void> {
    this.#isShown = true
    await this.#reloadQueue()
  }

  hide(): void {
    this.#isShown = false
  }

  close(): void {
    this.#db = null
    this.#projectId = null
    if (this.#countsTimer !== null) clearTimeout(this.#countsTimer)
    this.#countsTimer = null
    this.#list.clear()
    this.#item = null
    this.#items.clear()
  }

  /** Off screen (the Team panel's "Review disagreements") it only sets the queue that show() reads. */
  async chooseQueue(name: QueueName): Promise<void> {
    this.#queueName = name
    if (this.#isShown) await this.#reloadQueue()
  }

  /** Only samples with a candidate of this model (null: any), read afresh. */
  async chooseModel(model: string | null): Promise<void> {
    this.#model = model
    if (this.#isShown) await this.#reloadQueue()
  }

  /** The flagged queue's reason (null: any), read afresh. */
  async chooseFlagReason(reason: string | null): Promise<void> {
    this.#flagReason = reason
    if (this.#isShown && this.#queueName === 'flagged') await this.#reloadQueue()
  }

  async setAnnotator(name: string): Promise<void> {
    this.profile.rename(name)
    this.#items.clear() // the shown order depends on who is looking
    // The recent queue is this person's history: someone else's is another queue.
    if (this.#queueName === 'recent') await this.#reloadQueue()
    else await this.#show(this.#index)
  }

  /**
   * Another page of the log was applied: refresh counts and, where the page touched them, the item on
   * screen and the one read ahead (never the queue's order). A page of decisions on other samples leaves
   * both items as they were: re-reading them queued ahead of the next decision's store write.
   */
  async storeChanged(change: StoreChange = 'everything'): Promise<void> {
    if (this.#db === null || !this.#isShown) return
    if (change === 'everything') {
      this.#items.clear()
      if (this.queue.length === 0) return this.#reloadQueue()
    } else for (const sampleId of change.decidedSampleIds) this.#items.forget(sampleId)
    const current = this.#item?.sample.id
    const isCurrentChanged =
      change === 'everything' ||
      (current !== undefined && current !== this.#leaving && change.decidedSampleIds.has(current))
    // Read the next item again at once (if it was touched), so moving on stays instant.
    this.#prepareFollowing()
    try {
      if (change === 'everything') await Promise.all([this.#refreshCounts(), this.#refreshItem()])
      else {
        this.#refreshCountsSoon()
        if (isCurrentChanged) await this.#refreshItem()
      }
    } catch (error) {
      this.#error = `Could not re-read the review: ${messageOf(error)}`
    }
  }

  moveFocus(delta: number): void {
    const count = this.#item?.candidates.length ?? 0
    if (count > 0) this.#focus = Math.min(count - 1, Math.max(0, this.#focus + delta))
  }

  focusCandidate(index: number): void {
    const count = this.#item?.candidates.length ?? 0
    if (index >= 0 && index < count) this.#focus = index
  }

  /** Enter: go on to the next item; at the end of the queue, look for more. */
  async next(): Promise<void> {
    if (this.#index + 1 >= this.queue.length) await this.#list.settled()
    if (this.#index + 1 < this.queue.length) return this.#moveOnAfterSaves()
    // Re-reading the queue must see the decisions made so far, or a sample just decided comes back.
    await this.#chain.catch(() => undefined)
    await this.#reloadQueue()
  }

  async previous(): Promise<void> {
    if (this.#index > 0) await this.#show(this.#index - 1)
  }

  selectCandidate(index: number): Promise<boolean> {
    const candidate = this.#item?.candidates[index]
    if (candidate === undefined) return Promise.resolve(false)
    this.#focus = index
    return this.decide({ kind: 'select', candidateId: candidate.id })
  }

  /** Reject all or skip: the item is done with, so move on at once; the save goes on in the background. */
  async decideAndMoveOn(input: { kind: 'reject-all' } | { kind: 'skip' }): Promise<boolean> {
    const saved = this.decide(input)
    if (this.#index + 1 < this.queue.length) {
      await this.#moveOnAfterSaves()
      return saved
    }
    // At the end of the queue the next step re-reads it from the store: this decision must be there first,
    // or the sample just decided comes straight back as still unreviewed.
    const isSaved = await saved
    await this.#reloadQueue()
    return isSaved
  }

  /** z: cancels this person's latest decision in effect on the current sample. */
  async undo(): Promise<boolean> {
    const item = this.#item
    if (item === null) return false
    await this.#chain.catch(() => undefined)
    await this.#refreshItem()
    const target = undoTarget(this.#item?.decisions ?? [], this.profile.name)
    if (target === null) {
      this.#error = 'Nothing to undo on this sample.'
      return false
    }
    return this.decide({ kind: 'undo', undoes: target })
  }

  /** Records one decision on the current item; true once it is saved (log and store), false if it failed. */
  decide(input: DecisionInput): Promise<boolean> {
    const item = this.#item
    const projectId = this.#projectId
    if (item === null || projectId === null) return Promise.resolve(false)
    this.#prepareDecision(item.sample.id)
    let decision
    try {
      decision = buildDecision(input, {
        id: uuidv7(),
        projectId,
        sampleId: item.sample.id,
        annotator: this.profile.name,
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp to store, not state
        at: new Date(this.#now()).toISOString(),
        timeSpentMs: Math.max(0, Math.round(this.#now() - this.#shownAt)),
        shownOrder: item.shownOrder,
      })
    } catch (error) {
      this.#error = messageOf(error)
      return Promise.resolve(false)
    }
    this.#error = null
    const entry: DecisionEntry = {
      id: decision.id,
      kind: decision.kind,
      sampleId: decision.sampleId,
      status: 'saving',
      error: null,
    }
    this.#unlisted.set(entry.id, {
      entry,
      timer: setTimeout(() => this.#listEntry(entry.id), savingShownAfterMs),
    })
    const run = async (): Promise<boolean> => {
      try {
        const { seq } = await this.#api['review.decide']({ projectId, decision })
        await this.#waitForSeq(seq)
        this.#settle(entry.id, 'saved', null)
        this.#savedCount += 1
        this.#firstSavedAt ??= this.#now()
      } catch (error) {
        this.#settle(entry.id, 'failed', messageOf(error))
        return false
      }
      return true
    }
    const saved = this.#chain.then(run, run)
    this.#chain = saved
    // The screen's re-reads happen outside the chain: they must not hold up the next decision's save (they
    // did, by a whole count of the reviews per decision, in bench:review). The caller still hears back
    // once the screen shows the decision.
    return saved.then(async (isSaved) => {
      if (isSaved) await this.#refreshAfterSave(entry.sampleId)
      return isSaved
    })
  }

  async verify(): Promise<void> {
    const projectId = this.#projectId
    if (projectId === null) return
    this.#isVerifying = true
    this.#verifyError = null
    try {
      await this.#chain.catch(() => undefined)
      this.#verdict = await this.#api['review.verify']({ projectId })
    } catch (error) {
      this.#verifyError = messageOf(error)
    } finally {
      this.#isVerifying = false
    }
  }

  /** The next item, shown once the decisions sent so far are saved (or moveOnWaitMs has passed). */
  async #moveOnAfterSaves(): Promise<void> {
    this.#leaving = this.#item?.sample.id ?? null
    try {
      await this.#savesSettledOrWaited()
      await this.#show(this.#index + 1)
    } finally {
      this.#leaving = null
    }
  }

  /** Resolves once the decisions sent so far are settled, or after moveOnWaitMs, whichever comes first. */
  #savesSettledOrWaited(): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, moveOnWaitMs)
      void this.#chain
        .catch(() => undefined)
        .then(() => {
          clearTimeout(timer)
          done()
        })
    })
  }

  /** Lists a decision not listed yet, as it is now (newest first: saves settle in the order they were made). */
  #listEntry(id: string): void {
    const unlisted = this.#unlisted.get(id)
    if (unlisted === undefined) return
    clearTimeout(unlisted.timer)
    this.#unlisted.delete(id)
    this.#entries = [unlisted.entry, ...this.#entries].slice(0, maxEntries)
  }

  #forgetUnlisted(): void {
    for (const { timer } of this.#unlisted.values()) clearTimeout(timer)
    this.#unlisted.clear()
  }

  #settle(id: string, status: SaveStatus, error: string | null): void {
    this.#listEntry(id)
    this.#entries = this.#entries.map((entry) => (entry.id === id ? { ...entry, status, error } : entry))
  }

  async #reloadQueue(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    this.#isLoading = true
    try {
      this.#items.clear()
      const [models] = await Promise.all([generationModels(db, projectId), this.#refreshCounts()])
      this.#models = models
      const queueName = this.#queueName
      // Main holds every annotator's merged decisions and computes agreement: it names the samples.
      if (queueName === 'disagreements') {
        this.#list.clear() // should main not answer, no other queue's samples show under this name
        this.#item = null
        this.#disagreements = (await this.#api['merge.agreement']({ projectId })).disagreements
      }
      // Without a complete candidate anywhere there is nothing to review: skip scanning every sample.
      const isCurrent = await this.#list.reload(
        this.#hasCandidates ? { ...this.#source()!, disagreements: this.#disagreements } : null,
        queueName,
      )
      if (!isCurrent) return
      await this.#show(0)
    } catch (error) {
      this.#error = `Could not read the review queue: ${messageOf(error)}`
    } finally {
      this.#isLoading = false
    }
  }

  async #show(index: number): Promise<void> {
    const sampleId = this.queue[index]
    this.#index = index
    this.#focus = 0
    if (sampleId === undefined) {
      this.#item = null
      return
    }
    const reader = this.#source()
    const item = reader === null ? null : await this.#items.take(reader, sampleId)
    if (this.queue[this.#index] !== sampleId) return // moved on meanwhile
    this.#item = item
    this.#shownAt = this.#now()
    // Ready before it is needed, but after the decisions in flight: IndexedDB queues a write behind every
    // transaction started before it, and the person is waiting for that write to show "saved".
    void this.#chain.catch(() => undefined).then(() => this.#readAhead(index))
  }

  /** The next item, and the next page of the queue when few samples are left in the loaded one. */
  #readAhead(index: number): void {
    if (this.#index !== index) return // moved on meanwhile: that #show reads ahead for itself
    const shown = this.#item?.sample.id
    if (shown !== undefined) this.#prepareDecision(shown)
    this.#prepareFollowing()
    const source = this.#source()
    if (source !== null && this.queue.length - index <= queueLowWater)
      this.#list.extend(
        source,
        this.#queueName,
        () => this.#prepareFollowing(),
        (error) => (this.#error = `Could not read more of the review queue: ${messageOf(error)}`),
      )
  }

  #source(): (ItemSource & ListSource) | null {
    const db = this.#db
    const projectId = this.#projectId
    return db === null || projectId === null
      ? null
      : {
          db,
          projectId,
          annotator: this.profile.name,
          disagreements: this.#disagreements,
          flagReason: this.#flagReason,
          model: this.#model,
        }
  }

  #prepareFollowing(): void {
    const source = this.#source()
    const following = this.queue[this.#index + 1]
    if (source !== null && following !== undefined) this.#items.prepare(source, following)
  }

  async #refreshAfterSave(sampleId: string): Promise<void> {
    this.#refreshCountsSoon()
    try {
      if (this.#item?.sample.id === sampleId && sampleId !== this.#leaving) await this.#refreshItem()
    } catch (error) {
      this.#error = `Could not re-read the review: ${messageOf(error)}`
    }
  }

  async #refreshItem(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    const current = this.#item
    if (db === null || projectId === null || current === null) return
    const fresh = await loadItem(db, projectId, current.sample.id, this.profile.name)
    if (this.#item?.sample.id === current.sample.id) this.#item = fresh
  }

  /**
   * The counts after decisions, read at most once per countsIntervalMs. Read after every decision, they
   * were one more transaction per decision over the tables its store write takes, queued in front of the
   * next decision's write whenever a person was quick (bench:review); progress may lag by that interval.
   */
  #refreshCountsSoon(): void {
    if (this.#countsTimer !== null) return
    this.#countsTimer = setTimeout(() => {
      this.#countsTimer = null
      this.#refreshCounts().catch((error: unknown) => {
        this.#error = `Could not re-read the review: ${messageOf(error)}`
      })
    }, countsIntervalMs)
  }

  /** Asked for by a decision's save and by the store change it causes: the two share one read. */
  readonly #refreshCounts = coalesced(async () => {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    const counts = await readReviewCounts(db, projectId)
    if (this.#db !== db || this.#projectId !== projectId) return
    this.#progress = counts.progress
    this.#hasCandidates = counts.hasCandidates
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
