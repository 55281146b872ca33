// Bar 4: merging two annotators' copies of a project, in either order and twice, gives the same store
// (main's state and the renderer's projection), both chains verify, the second merge appends nothing, and
// the agreement figures are the hand-computed ones.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppServices } from '../../src-main/services/app-services'
import { openDatabase } from '../../src-renderer/db/database'
import { applyEvents } from '../../src-renderer/db/projection'
import { getReview } from '../../src-renderer/db/repos/decisions.repo'
import type { UnsealedDecision } from '@shared/domain/decision'
import { reduceSampleReview } from '@shared/domain/review-state'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { atOf, decisionIdOf, makeDecision } from '../factories/decisions'

let work: string
let services: AppServices
let alice: string
let bob: string
let samples: string[]
let nextId = 1

beforeEach(async () => {
  work = await tempDir('merge')
  services = await openTestServices(join(work, 'data'))
  const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `doc-${i}`, text: `Story ${i}.` }))
  await writeFile(join(work, 'corpus.jsonl'), lines.join('\n') + '\n')
  alice = (await services.handlers['projects.create']({ name: 'alice' })).id
  const { jobId } = await services.handlers['import.start']({
    projectId: alice,
    spec: {
      path: join(work, 'corpus.jsonl'),
      format: 'jsonl',
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared', value: 'human' },
    },
  })
  expect((await jobSettled(services, jobId)).status).toBe('done')
  samples = (await services.registry.samples(alice, null)).sort((a, b) => a.ord - b.ord).map((s) => s.id)
  expect(samples).toHaveLength(6)
  // Bob's copy of the project: the same samples (same ids), as a restored backup of it would hold.
  bob = (await services.handlers['projects.create']({ name: 'bob' })).id
  await copySamples(alice, bob)
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

async function copySamples(from: string, to: string): Promise<void> {
  for await (const event of services.registry.replayKinds(from, new Set(['samples.imported'])))
    await services.registry.append(to, [{ kind: 'samples.imported', data: event.data as never }])
}

const decide = (
  projectId: string,
  annotator: string,
  sample: number,
  kind: UnsealedDecision['kind'],
  overrides: Partial<UnsealedDecision> = {},
) => {
  const n = nextId++
  return services.handlers['review.decide']({
    projectId,
    decision: makeDecision(kind, {
      id: decisionIdOf(n),
      at: atOf(n),
      projectId,
      annotator,
      sampleId: samples[sample]!,
      ...overrides,
    }),
  })
}

/**
 * The fixture, interleaved in time. Labels per sample (alice | bob):
 *   s0 select:c1 | select:c1 (bob selected c2, undid it, then c1) · s1 select:c1 | select:c2
 *   s2 reject-all | reject-all · s3 select:c1 | reject-all · s4 edit | — · s5 — | select:c2
 */
async function reviewBoth(): Promise<void> {
  await decide(alice, 'alice', 0, 'select', { candidateId: 'c1' })
  const wrong = await decide(bob, 'bob', 0, 'select', { candidateId: 'c2' })
  await decide(bob, 'bob', 0, 'undo', { undoes: wrong.decision.id })
  await decide(bob, 'bob', 0, 'select', { candidateId: 'c1' })
  await decide(bob, 'bob', 1, 'select', { candidateId: 'c2' })
  await decide(alice, 'alice', 1, 'select', { candidateId: 'c1' })
  await decide(alice, 'alice', 2, 'reject-all')
  await decide(bob, 'bob', 2, 'reject-all')
  await decide(bob, 'bob', 3, 'reject-all')
  await decide(alice, 'alice', 3, 'select', { candidateId: 'c1' })
  await decide(alice, 'alice', 4, 'flag')
  await decide(alice, 'alice', 4, 'edit')
  await decide(bob, 'bob', 5, 'select', { candidateId: 'c2' })
}

/** Each sample's review as main derives it. */
async function mainReviews(projectId: string) {
  const state = await services.registry.state(projectId)
  return samples.map((id) => reduceSampleReview(state.decisionsBySample.get(id) ?? []))
}

/** Each sample's review as the renderer's store derives it, from the whole log applied to a fresh store. */
async function storeReviews(projectId: string) {
  const { db } = await openDatabase(`winnow-merge-${randomUUID()}`)
  try {
    const events = await services.registry.read(projectId, 0, 1_000_000, 256 << 20)
    await applyEvents(db, projectId, events, await services.registry.head(projectId))
    const rows = await Promise.all(samples.map((id) => getReview(db, projectId, id)))
    return rows.map((row) => {
      if (row === undefined) return reduceSampleReview([])
      const { projectId: _p, sampleId: _s, ...review } = row
      return review
    })
  } finally {
    db.close()
  }
}

const merge = (projectId: string, fromProjectId: string) =>
  services.handlers['merge.import']({ projectId, fromProjectId })

describe('merging annotators', () => {
  it('gives the same store in either order, twice, with both chains intact and hand-computed agreement', async () => {
    await reviewBoth()
    // Alice's work into bob's copy; then bob's (now holding alice's too) into alice's: opposite orders in the logs.
    expect(await merge(bob, alice)).toMatchObject({
      appended: 6,
      alreadyPresent: 0,
      skippedUnknownSample: 0,
      skippedUnverified: 0,
    })
    expect(await merge(alice, bob)).toMatchObject({ appended: 7, alreadyPresent: 6 })
    // Twice: nothing more.
    expect(await merge(bob, alice)).toMatchObject({ appended: 0, alreadyPresent: 13 })
    expect(await merge(alice, bob)).toMatchObject({ appended: 0, alreadyPresent: 13 })

    const aliceLog = (await services.registry.state(alice)).decisionsBySample.get(samples[0]!)!
    const bobLog = (await services.registry.state(bob)).decisionsBySample.get(samples[0]!)!
    // The logs really hold them in different orders…
    expect(aliceLog.map((d) => d.annotator)).toEqual(['alice', 'bob', 'bob', 'bob'])
    expect(bobLog.map((d) => d.annotator)).toEqual(['bob', 'bob', 'bob', 'alice'])
    // …and the derived state is the same, in main and in the store.
    const fromMain = await mainReviews(alice)
    expect(await mainReviews(bob)).toEqual(fromMain)
    expect(await storeReviews(alice)).toEqual(fromMain)
    expect(await storeReviews(bob)).toEqual(fromMain)
    // Everyone together: the latest status by time wins (s3: alice's select came after bob's reject).
    expect(fromMain.map((r) => r.status)).toEqual([
      'selected',
      'selected',
      'rejected',
      'selected',
      'edited',
      'selected',
    ])

    for (const projectId of [alice, bob])
      expect(await services.handlers['review.verify']({ projectId })).toEqual({
        ok: true,
        decisions: 13,
        chains: 2,
      })

    // By hand. Overlap s0–s3, pairs (alice, bob): (c1,c1) (c1,c2) (rej,rej) (c1,rej): po = 2/4.
    // alice: c1 3, rej 1; bob: c1 1, c2 1, rej 2 (of 4). pe = (3·1 + 1·2) / 16 = 5/16;
    // κ = (1/2 − 5/16) / (1 − 5/16) = (3/16) / (11/16) = 3/11.
    // α: n = 8 pairable values, n_c1 = 4, n_c2 = 1, n_rej = 3; off-diagonal coincidences 2 + 2 (s1, s3);
    // Σ_{c≠k} n_c n_k = 64 − (16 + 1 + 9) = 38; α = 1 − 7·4/38 = 5/19.
    const expected = {
      annotators: ['alice', 'bob'],
      labelledSamples: 6,
      overlappingSamples: 4,
      agreeingSamples: 2,
      percentAgreement: 0.5,
      cohensKappa: expect.closeTo(3 / 11, 12) as number,
      krippendorffAlpha: expect.closeTo(5 / 19, 12) as number,
      disagreements: [samples[1]!, samples[3]!].sort(),
    }
    expect(await services.handlers['merge.agreement']({ projectId: alice })).toEqual(expected)
    expect(await services.handlers['merge.agreement']({ projectId: bob })).toEqual(expected)
  })

  it('merges into a third copy in both orders to the same state', async () => {
    await reviewBoth()
    const first = (await services.handlers['projects.create']({ name: 'a then b' })).id
    const second = (await services.handlers['projects.create']({ name: 'b then a' })).id
    await copySamples(alice, first)
    await copySamples(alice, second)
    for (let round = 0; round < 2; round++) {
      await merge(first, alice)
      await merge(first, bob)
      await merge(second, bob)
      await merge(second, alice)
    }
    expect(await mainReviews(second)).toEqual(await mainReviews(first))
    expect(await storeReviews(second)).toEqual(await storeReviews(first))
    expect(await storeReviews(first)).toEqual(await mainReviews(first))
    expect(await services.handlers['review.verify']({ projectId: second })).toEqual({
      ok: true,
      decisions: 13,
      chains: 2,
    })
  })

  it('refuses decisions about samples the project does not have, and a merge into itself', async () => {
    const stranger = (await services.handlers['projects.create']({ name: 'other corpus' })).id
    await decide(stranger, 'carol', 0, 'select', { candidateId: 'c1' }) // sample id unknown in stranger's target
    const target = (await services.handlers['projects.create']({ name: 'empty' })).id
    expect(await merge(target, stranger)).toMatchObject({ appended: 0, skippedUnknownSample: 1 })
    await expect(merge(alice, alice)).rejects.toMatchObject({ code: 'invalid-payload' })
  })
})
