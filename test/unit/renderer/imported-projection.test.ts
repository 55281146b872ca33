// Candidates and decisions imported from another tool reach the store like generated ones: the projection
// reads candidates.recorded v3 and decision.recorded v2, keeps the imported source, and derives the review.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents } from '../../../src-renderer/db/projection'
import { getReview } from '../../../src-renderer/db/repos/decisions.repo'
import { listCandidatesForSample } from '../../../src-renderer/db/repos/candidates.repo'
import { mapProdigyTask } from '../../../src-main/services/import/tools/prodigy'
import { materialise } from '../../../src-main/services/import/tools/materialise'
import { sealDecision } from '@shared/domain/decision-chain'
import { FakeProjectLog } from '../../fakes/fake-project-log'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

describe('projecting an imported Prodigy task', () => {
  it('stores its candidates as imported and its decision as the review', async () => {
    const log = new FakeProjectLog()
    const mapped = mapProdigyTask(
      {
        text: 'Pick the better reply.',
        options: [
          { id: 1, text: 'Sure, here it is.' },
          { id: 2, text: 'No.' },
        ],
        accept: [1],
        answer: 'accept',
        _input_hash: 5,
        _task_hash: 6,
        _annotator_id: 'replies-dana',
        _timestamp: 1_700_000_000,
      },
      'text',
    )
    if (!mapped.ok) throw new Error(mapped.reason)
    const place = {
      tool: 'prodigy' as const,
      projectId: log.projectId,
      batchId: 'b1',
      fileName: 'replies.jsonl',
      importedAt: '2026-01-01T00:00:00.000Z',
    }
    const made = materialise(mapped.record, place, 1, 'model')
    if (!made.ok) throw new Error(made.reason)
    const { sample, candidates } = made
    log.append('samples.imported', {
      batchId: 'b1',
      samples: [{ ...sample, ord: 1, depth: 1, batchId: 'b1', line: 1 }],
    })
    log.append('candidates.recorded', { candidates })
    const decision = sealDecision(made.decisions[0]!, null)
    log.append('decision.recorded', { decision })

    await applyEvents(db, log.projectId, log.events, log.head())

    const stored = await listCandidatesForSample(db, log.projectId, sample.id)
    expect(stored.map((c) => [c.text, c.provenance.engine, c.provenance.imported?.fileName])).toEqual(
      expect.arrayContaining([
        ['Sure, here it is.', 'import', 'replies.jsonl'],
        ['No.', 'import', 'replies.jsonl'],
      ]),
    )
    const review = await getReview(db, log.projectId, sample.id)
    expect(review).toMatchObject({ status: 'selected', chosenCandidateId: candidates[0]!.id })
  })
})
