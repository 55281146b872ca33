// What an export reads: the page-at-a-time scan reads each page's reviews and candidates with one range read
// each when the sample ids are in order, and falls back when they are not (a merged or restored project).
// Either way every sample's input must equal what reading it on its own gives — the test fails on a scan that
// lets a neighbouring page's candidate in, loses one, or gets their order wrong.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sealDecision } from '@shared/domain/decision-chain'
import { reduceSampleReview } from '@shared/domain/review-state'
import { buildExportRecord } from '@shared/export/export-record'
import type { SelectionInput } from '@shared/export/selection/items'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents } from '../../../src-renderer/db/projection'
import { listCandidatesForSample } from '../../../src-renderer/db/repos/candidates.repo'
import { getReviews } from '../../../src-renderer/db/repos/decisions.repo'
import { readExportInputsOf, scanExportInputs } from '../../../src-renderer/db/repos/export.repo'
import { pageSamplesAfter, noSampleFilter } from '../../../src-renderer/db/repos/samples.repo'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { makeCandidate, makeSample } from '../../factories/log-events'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

/** `count` samples (ids ascending with ord, or shuffled), 0–3 candidates each, most of them decided. */
async function project(count: number, isShuffled: boolean): Promise<string> {
  const log = new FakeProjectLog()
  log.append('project.created', { name: 'Export read', settings: { maxFieldBytes: 1024 * 1024 } })
  const batchId = randomUUID()
  const keys = Array.from({ length: count }, (_, i) => String(i).padStart(6, '0'))
  if (isShuffled) keys.sort(() => Math.random() - 0.5)
  const samples = keys.map((key, i) => ({ ...makeSample(i + 1, batchId), id: `s-${key}` }))
  log.append('samples.imported', { batchId, samples })
  let prevHash: string | null = null
  for (const [i, sample] of samples.entries()) {
    const candidates = Array.from({ length: i % 4 }, (_, k) =>
      makeCandidate(sample.id, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString() }),
    )
    if (candidates.length > 0) log.append('candidates.recorded', { candidates })
    if (candidates.length === 0 || i % 5 === 0) continue
    const decision = sealDecision(
      {
        id: `0190${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`,
        projectId: log.projectId,
        sampleId: sample.id,
        kind: 'select',
        candidateId: candidates[0]!.id,
        editedText: null,
        diff: null,
        flag: null,
        note: null,
        undoes: null,
        annotator: 'alice',
        at: new Date(Date.UTC(2026, 0, 2) + i * 1000).toISOString(),
        timeSpentMs: 1000,
        shownOrder: candidates.map((c) => c.id),
      },
      prevHash,
    )
    prevHash = decision.hash
    log.append('decision.recorded', { decision })
  }
  await applyEvents(db, log.projectId, log.events, log.head())
  return log.projectId
}

/** The reference: every sample read on its own, in ord order. */
async function oneByOne(projectId: string): Promise<SelectionInput[]> {
  const samples = await pageSamplesAfter(db, projectId, noSampleFilter, 0, 1_000_000)
  const out: SelectionInput[] = []
  for (const sample of samples) {
    const [review] = await getReviews(db, projectId, [sample.id])
    const candidates = review ? await listCandidatesForSample(db, projectId, sample.id) : []
    const state = review ?? reduceSampleReview([])
    out.push({
      record: buildExportRecord(sample, candidates, state),
      tags: [],
      reviewedAt: state.lastDecisionAt,
    })
  }
  return out
}

async function scanned(projectId: string): Promise<SelectionInput[]> {
  const out: SelectionInput[] = []
  await scanExportInputs(db, projectId, async (page) => {
    out.push(...page)
    await Promise.resolve()
  })
  return out
}

describe('export reads', () => {
  for (const isShuffled of [false, true])
    it(`scans every sample's input exactly as read alone (${isShuffled ? 'ids out of order' : 'ids in order'})`, async () => {
      const projectId = await project(1_203, isShuffled)
      const expected = await oneByOne(projectId)
      expect(expected.filter((input) => input.record.candidates.length > 1).length).toBeGreaterThan(400)
      expect(await scanned(projectId)).toEqual(expected)
    })

  it('reads back the inputs of chosen samples, in the order asked', async () => {
    const projectId = await project(40, true)
    const all = await oneByOne(projectId)
    const chosen = [all[17]!, all[3]!, all[33]!]
    const inputs = await readExportInputsOf(
      db,
      projectId,
      chosen.map((input) => input.record.sampleId),
    )
    expect(inputs.map((input) => input.record.sampleId)).toEqual(chosen.map((input) => input.record.sampleId))
    expect(inputs).toEqual(chosen)
  })
})
