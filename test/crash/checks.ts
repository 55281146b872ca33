// What a crash run checks after every recovery: the project log on disk (through main's log.read) against
// the decisions the person saw saved, and the store's rows against the log. Nothing read from the app's own
// code paths: the store is read with raw IndexedDB, the review state re-derived here with the pure reducer.
import type { Page } from 'playwright-core'
import { readLogEvent } from '@shared/domain/log-events'
import type { DecisionRecord } from '@shared/domain/decision'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { LoopbackClient } from '../e2e/loopback-client'

export interface LoggedDecision {
  seq: number
  decision: DecisionRecord
}

/**
 * The project's decision.recorded events, read incrementally: the log only ever shows flushed events, and a
 * flushed event never goes away, so what was read once stays true (checked by the head never going back).
 */
export class LogDecisions {
  readonly bySeq: LoggedDecision[] = []
  readonly ids = new Set<string>()
  #lastSeq = 0

  async catchUp(client: LoopbackClient, projectId: string): Promise<void> {
    const head = await client.call('log.head', { projectId })
    if (head.lastSeq < this.#lastSeq)
      throw new Error(`the project log went back from event ${this.#lastSeq} to ${head.lastSeq}`)
    for (;;) {
      const { events } = await client.call('log.read', {
        projectId,
        afterSeq: this.#lastSeq,
        maxEvents: 5000,
        maxBytes: 16 * 1024 * 1024,
      })
      if (events.length === 0) return
      for (const event of events) {
        const typed = readLogEvent(event)
        if (typed?.kind !== 'decision.recorded') continue
        this.bySeq.push({ seq: event.seq, decision: typed.data.decision })
        this.ids.add(typed.data.decision.id)
      }
      this.#lastSeq = events.at(-1)!.seq
    }
  }
}

export interface StoreSnapshot {
  /** The store's sentinel for the project: how far it claims to have applied the log (0: none). */
  lastSeq: number
  decisions: Record<string, unknown>[]
  reviews: Record<string, unknown>[]
  /** Decision rows of every project, for spotting a wipe. */
  decisionRows: number
}

/** Decisions, reviews and the sentinel, in one read-only transaction: a consistent cut of the store. */
export async function readStore(page: Page, projectId: string): Promise<StoreSnapshot> {
  return page.evaluate(async (projectId) => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    try {
      const tx = db.transaction(['decisions', 'reviews', 'sentinel'], 'readonly')
      const all = (name: string): Promise<Record<string, unknown>[]> =>
        new Promise((done, fail) => {
          const request = tx.objectStore(name).getAll()
          request.onsuccess = () => done(request.result as Record<string, unknown>[])
          request.onerror = () => fail(new Error(String(request.error)))
        })
      const [decisions, reviews, sentinels] = await Promise.all([
        all('decisions'),
        all('reviews'),
        all('sentinel'),
      ])
      const sentinel = sentinels.find((row) => row.projectId === projectId)
      const mine = (row: Record<string, unknown>): boolean => row.projectId === projectId
      return {
        lastSeq: typeof sentinel?.lastSeq === 'number' ? sentinel.lastSeq : 0,
        decisions: decisions.filter(mine),
        reviews: reviews.filter(mine),
        decisionRows: decisions.length,
      }
    } finally {
      db.close()
    }
  }, projectId)
}

/**
 * Before the app runs on a freshly started Chromium: how many decision rows survived (-1: the database is
 * gone). Opened without creating it: an upgrade here would mean it vanished, and is aborted so the app still
 * finds no database and must notice the loss itself.
 */
export async function probeDecisionRows(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((info) => info.name)
    if (!names.includes('winnow')) return -1
    const db = await new Promise<IDBDatabase | null>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onupgradeneeded = () => request.transaction?.abort()
      request.onsuccess = () => done(request.result)
      request.onerror = () =>
        request.error?.name === 'AbortError' ? done(null) : fail(new Error(String(request.error)))
    })
    if (db === null) return -1
    try {
      if (!db.objectStoreNames.contains('decisions')) return -1
      return await new Promise<number>((done, fail) => {
        const request = db.transaction('decisions').objectStore('decisions').count()
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(new Error(String(request.error)))
      })
    } finally {
      db.close()
    }
  })
}

/** Keys sorted at every level, so two rows compare by content alone. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, sort((v as Record<string, unknown>)[key])]),
      )
    return v
  }
  return JSON.stringify(sort(value))
}

export interface Disagreement {
  sampleId: string
  what: string
}

/**
 * Samples whose store rows disagree with the log, up to the store's sentinel: every decision row must be the
 * logged decision (with its seq), and every review row the reducer applied to that sample's logged decisions.
 */
export function compareStore(
  snapshot: StoreSnapshot,
  logged: readonly LoggedDecision[],
  projectId: string,
): Disagreement[] {
  const out: Disagreement[] = []
  const expected = logged.filter((entry) => entry.seq <= snapshot.lastSeq)
  const bySample = new Map<string, LoggedDecision[]>()
  for (const entry of expected)
    bySample.set(entry.decision.sampleId, [...(bySample.get(entry.decision.sampleId) ?? []), entry])
  const storedDecisions = new Map(snapshot.decisions.map((row) => [String(row.id), row]))
  for (const entry of expected) {
    const row = storedDecisions.get(entry.decision.id)
    if (row === undefined)
      out.push({ sampleId: entry.decision.sampleId, what: `decision ${entry.decision.id} missing` })
    else if (canonical(row) !== canonical({ ...entry.decision, seq: entry.seq }))
      out.push({ sampleId: entry.decision.sampleId, what: `decision ${entry.decision.id} differs` })
    storedDecisions.delete(entry.decision.id)
  }
  for (const row of storedDecisions.values())
    out.push({ sampleId: String(row.sampleId), what: `decision ${String(row.id)} not in the log` })
  const storedReviews = new Map(snapshot.reviews.map((row) => [String(row.sampleId), row]))
  for (const [sampleId, entries] of bySample) {
    const want = {
      ...reduceSampleReview(entries.sort((a, b) => a.seq - b.seq).map((entry) => entry.decision)),
      projectId,
      sampleId,
    }
    const row = storedReviews.get(sampleId)
    if (row === undefined) out.push({ sampleId, what: 'review row missing' })
    else if (canonical(row) !== canonical(want))
      out.push({ sampleId, what: `review row ${canonical(row)} ≠ derived ${canonical(want)}` })
    storedReviews.delete(sampleId)
  }
  for (const sampleId of storedReviews.keys())
    out.push({ sampleId, what: 'review row without logged decisions' })
  return out
}
