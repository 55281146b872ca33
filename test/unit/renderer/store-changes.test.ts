// Which samples a run of applied pages touched: only pages of decisions alone narrow it down; anything else,
// a cleared store, or a page the record no longer holds means "everything".
import { describe, expect, it } from 'vitest'
import type { LogEvent } from '@shared/domain/log-events'
import { StoreChanges } from '../../../src-renderer/state/store-changes'

const decisionOn = (sampleId: string): LogEvent =>
  ({ kind: 'decision.recorded', data: { decision: { sampleId } } }) as unknown as LogEvent
const candidates = { kind: 'candidates.recorded', data: { candidates: [] } } as unknown as LogEvent

const ids = (change: ReturnType<StoreChanges['since']>) =>
  change === 'everything' ? change : [...change.decidedSampleIds].sort()

describe('store changes', () => {
  it('names the decided samples of pages of decisions', () => {
    const changes = new StoreChanges()
    changes.recordPage(1, [decisionOn('a')])
    changes.recordPage(2, [decisionOn('b'), decisionOn('a')])
    expect(ids(changes.since(0, 2))).toEqual(['a', 'b'])
    expect(ids(changes.since(1, 2))).toEqual(['a', 'b'])
    expect(ids(changes.since(2, 2))).toEqual([])
  })

  it('says everything for a page with other events, a cleared store, or a page it does not hold', () => {
    const changes = new StoreChanges()
    changes.recordPage(1, [decisionOn('a'), candidates])
    changes.recordPage(2, [decisionOn('b')])
    expect(changes.since(0, 2)).toBe('everything')
    expect(ids(changes.since(1, 2))).toEqual(['b'])
    changes.recordEverything(3)
    expect(changes.since(2, 3)).toBe('everything')
    expect(changes.since(3, 5)).toBe('everything') // versions 4 and 5 were never recorded
    for (let version = 4; version < 100; version++) changes.recordPage(version, [decisionOn('c')])
    expect(changes.since(3, 99)).toBe('everything') // the oldest pages were let go
    expect(ids(changes.since(90, 99))).toEqual(['c'])
  })
})
