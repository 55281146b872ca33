// The Team panel's state and words without Chromium: a merge keeps main's counts and the agreement it
// answered, a failure says what to do and keeps nothing, and the reading names the right measure and band.
import { describe, expect, it } from 'vitest'
import type { Api } from '@shared/ipc/contract'
import { AppFailure } from '@shared/ipc/result'
import { TeamState, type Agreement } from '../../../src-renderer/state/team.svelte'
import { headlineMeasure, readingOf } from '../../../src-renderer/features/team/agreement-reading'

const figures = (overrides: Partial<Agreement> = {}): Agreement => ({
  annotators: ['alice', 'bob'],
  labelledSamples: 6,
  overlappingSamples: 4,
  agreeingSamples: 2,
  percentAgreement: 0.5,
  cohensKappa: 3 / 11,
  krippendorffAlpha: 5 / 19,
  disagreements: ['s1', 's3'],
  ...overrides,
})

function fakeApi(failure: Error | null = null) {
  const asked: unknown[] = []
  const api: Pick<Api, 'merge.import' | 'merge.agreement'> = {
    'merge.import': async (request) => {
      asked.push(request)
      if (failure) throw failure
      return {
        appended: 7,
        alreadyPresent: 6,
        skippedUnknownSample: 1,
        skippedUnverified: 0,
        agreement: figures(),
      }
    },
    'merge.agreement': async () =>
      figures({ annotators: ['alice'], overlappingSamples: 0, disagreements: [] }),
  }
  return { api, asked }
}

describe('the team state', () => {
  it('merges from the chosen project and keeps the counts and the agreement main answered', async () => {
    const { api, asked } = fakeApi()
    const team = new TeamState('p-alice', api)
    await team.loadAgreement()
    expect(team.agreement?.annotators).toEqual(['alice'])
    await team.merge({ id: 'p-bob', name: 'Bob’s copy' })
    expect(asked).toEqual([{ projectId: 'p-alice', fromProjectId: 'p-bob' }])
    expect(team.lastMerge).toEqual({
      appended: 7,
      alreadyPresent: 6,
      skippedUnknownSample: 1,
      skippedUnverified: 0,
      fromName: 'Bob’s copy',
    })
    expect(team.agreement?.disagreements).toEqual(['s1', 's3'])
    expect(team.error).toBeNull()
  })

  it('says what failed and what to do, and keeps no result', async () => {
    const { api } = fakeApi(new AppFailure('invalid-payload', 'A project cannot be merged into itself.'))
    const team = new TeamState('p-alice', api)
    await team.merge({ id: 'p-alice', name: 'Alice' })
    expect(team.lastMerge).toBeNull()
    expect(team.isMerging).toBe(false)
    expect(team.error).toMatch(
      /Could not merge “Alice”: A project cannot be merged into itself\. Nothing was merged/,
    )
  })
})

describe('reading the agreement', () => {
  it('uses kappa for two annotators and alpha for more, with the band in words', () => {
    expect(headlineMeasure(figures())).toEqual({ name: 'Cohen’s kappa', value: 3 / 11 })
    expect(readingOf(figures())).toMatch(/Here it is 0\.27, fair \(weak\): settle the disagreements/)
    const three = figures({ annotators: ['alice', 'bob', 'cy'], cohensKappa: null, krippendorffAlpha: 0.85 })
    expect(headlineMeasure(three)).toEqual({ name: 'Krippendorff’s alpha', value: 0.85 })
    expect(readingOf(three)).toMatch(/Here it is 0\.85, almost perfect\.$/)
    expect(readingOf(figures({ cohensKappa: -0.2 }))).toMatch(/-0\.20, worse than chance/)
  })

  it('says why there is no figure yet', () => {
    expect(readingOf(figures({ annotators: ['alice'] }))).toMatch(/needs two annotators/)
    expect(readingOf(figures({ overlappingSamples: 0 }))).toMatch(/No sample has been decided by two/)
    expect(readingOf(figures({ cohensKappa: null }))).toMatch(/undefined here/)
  })
})
