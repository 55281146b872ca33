// Start-up decision for one project: compare the store's sentinel and row count with the log's head.
// Chromium can discard IndexedDB after a crash (RELIABILITY.md), so an empty or shorter store next to a
// longer log means a wipe or a partial loss: rebuild from the log and tell the person what happened.
import type { LogHead } from '@shared/domain/log-events'
import type { SentinelRow } from './database'

export type StoreAction = 'none' | 'catch-up' | 'rebuild'
export type StoreReason =
  'fresh-project' | 'behind' | 'store-empty' | 'store-shorter' | 'different-log' | 'schema-upgrade'

export interface StoreAssessment {
  action: StoreAction
  reason: StoreReason | null
}

export interface StoreFacts {
  sentinel: SentinelRow | null
  /** Sample rows the store actually holds for the project (not what the sentinel claims). */
  actualSampleCount: number
  head: LogHead
  /**
   * True when this store cannot have held the project before: the project was just restored from a backup
   * here, or the store is one that already existed before this start (Chromium's wipes discard the whole
   * store, so a store that survived has simply never been asked for this project). False by default: a
   * project missing from a store created at this start is taken for a loss and named as one.
   */
  isFirstOpenHere?: boolean
}

export function assessStore({
  sentinel,
  actualSampleCount,
  head,
  isFirstOpenHere = false,
}: StoreFacts): StoreAssessment {
  if (sentinel === null) {
    // Rows without a sentinel are as untrustworthy as no rows at all: start again from the log.
    if (actualSampleCount > 0) return { action: 'rebuild', reason: 'store-empty' }
    if (head.sampleCount > 0 && !isFirstOpenHere) return { action: 'rebuild', reason: 'store-empty' }
    // A new project, or one this store sees for the first time (a restored backup): read its log, silently.
    return { action: 'catch-up', reason: 'fresh-project' }
  }
  if (sentinel.logId !== head.logId) return { action: 'rebuild', reason: 'different-log' }
  if (actualSampleCount < sentinel.sampleCount) return { action: 'rebuild', reason: 'store-shorter' }
  // A store ahead of its log holds facts the truth does not (a restored older log folder): follow the log.
  if (sentinel.lastSeq > head.lastSeq) return { action: 'rebuild', reason: 'different-log' }
  // After the checks above, so a real loss is still named as one; this rebuild is routine, not a repair.
  if (sentinel.rebuildPending === 'schema-upgrade') return { action: 'rebuild', reason: 'schema-upgrade' }
  if (sentinel.lastSeq < head.lastSeq) return { action: 'catch-up', reason: 'behind' }
  return { action: 'none', reason: null }
}

/** What came back, counted after a rebuild; candidates and decisions are named only when there are some. */
export interface RestoredCounts {
  samples: number
  candidates?: number
  decisions?: number
}

const counted = (n: number, one: string, many: string): string =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`

/** What to tell the person after a rebuild, or null when there is nothing to tell. */
export function describeRebuild(reason: StoreReason | null, counts: RestoredCounts | number): string | null {
  const {
    samples: sampleCount,
    candidates = 0,
    decisions = 0,
  } = typeof counts === 'number' ? { samples: counts } : counts
  const parts = [counted(sampleCount, 'sample', 'samples')]
  if (candidates > 0) parts.push(counted(candidates, 'candidate', 'candidates'))
  if (decisions > 0) parts.push(counted(decisions, 'decision', 'decisions'))
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
  const restored = `${listed} restored`
  switch (reason) {
    case 'store-empty':
      return (
        "Winnow's local database had lost this project's data (Chromium can discard it after a crash). " +
        `It was rebuilt from the project log: ${restored}.`
      )
    case 'store-shorter':
      return (
        "Winnow's local database had lost part of this project's data (Chromium can discard it after a crash). " +
        `It was rebuilt from the project log: ${restored}.`
      )
    case 'different-log':
      return (
        "Winnow's local database did not match this project's log on disk (for example after a project folder " +
        `was restored from a backup). It was rebuilt from the project log: ${restored}.`
      )
    case 'schema-upgrade':
      // Routine, not a repair: the new tables are filled from the log, which always held their facts.
      return (
        "Winnow's local database was upgraded to a new format, so this project was reloaded from its " +
        `project log (${sampleCount.toLocaleString()} ${sampleCount === 1 ? 'sample' : 'samples'}).`
      )
    default:
      return null
  }
}
