// Candidates in the store: the projection keeps every recorded candidate exactly as the log says (partial
// stays partial, failed stays failed), idempotently by id; the repos list a sample's newest first and
// count a project's by status. The checks also run against a broken applier, which they must catch.
import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CandidateRecord } from '@shared/domain/candidate'
import { openDatabase, type WinnowDb } from '../../../src-renderer/db/database'
import { applyEvents, clearProject } from '../../../src-renderer/db/projection'
import { countCandidates, listCandidatesForSample } from '../../../src-renderer/db/repos/candidates.repo'
import { FakeProjectLog } from '../../fakes/fake-project-log'
import { appendImport, makeCandidate } from '../../factories/log-events'

let db: WinnowDb

beforeEach(async () => {
  db = (await openDatabase(`winnow-test-${randomUUID()}`)).db
})
afterEach(() => db.close())

interface GeneratedLog {
  log: FakeProjectLog
  sampleIds: string[]
  candidates: CandidateRecord[]
}

/** Two samples; the first gets a complete, a partial and a failed candidate over two recording events. */
function generatedLog(): GeneratedLog {
  const log = new FakeProjectLog()
  const { samples } = appendImport(log, { count: 2 })
  const [first, second] = samples.map((sample) => sample.id) as [string, string]
  const complete = makeCandidate(first, { createdAt: '2025-02-01T00:00:01.000Z' })
  const partial = makeCandidate(first, {
    status: 'partial',
    text: 'A rewritten sam',
    doneReason: null,
    failure: { kind: 'stream-broken', message: 'connection reset' },
    createdAt: '2025-02-01T00:00:02.000Z',
  })
  const failed = makeCandidate(first, {
    status: 'failed',
    text: '',
    failure: { kind: 'timeout', message: 'no first token within 60 s' },
    logprobs: null,
    logprobSummary: null,
    createdAt: '2025-02-01T00:00:03.000Z',
  })
  const other = makeCandidate(second, { jobId: 'job-other', createdAt: '2025-02-01T00:00:04.000Z' })
  log.append('candidates.recorded', { candidates: [complete, partial] })
  log.append('candidates.recorded', { candidates: [failed, other] })
  return { log, sampleIds: [first, second], candidates: [complete, partial, failed, other] }
}

/** What would be wrong with the store's candidates after applying the log; empty when all is right. */
async function candidateProblems(store: WinnowDb, { log, candidates }: GeneratedLog): Promise<string[]> {
  const problems: string[] = []
  for (const candidate of candidates) {
    const row = await store.candidates.get([log.projectId, candidate.id])
    if (row === undefined) problems.push(`${candidate.status} candidate ${candidate.id} missing`)
    else if (JSON.stringify(row) !== JSON.stringify({ ...candidate, projectId: log.projectId }))
      problems.push(`${candidate.status} candidate ${candidate.id} changed (now ${row.status})`)
  }
  const total = await countCandidates(store, log.projectId)
  if (total !== candidates.length) problems.push(`${total} of ${candidates.length} candidates`)
  return problems
}

/** Deliberately broken: treats partial candidates as if they had never been recorded. */
const dropsPartials: typeof applyEvents = (store, projectId, events, head) => {
  const copy = structuredClone(events)
  for (const event of copy) {
    if (event.kind !== 'candidates.recorded') continue
    const data = event.data as { candidates: CandidateRecord[] }
    data.candidates = data.candidates.filter((candidate) => candidate.status !== 'partial')
  }
  return applyEvents(store, projectId, copy, head)
}

/** Deliberately broken: records a partial candidate as complete. */
const promotesPartials: typeof applyEvents = (store, projectId, events, head) => {
  const copy = structuredClone(events)
  for (const event of copy) {
    if (event.kind !== 'candidates.recorded') continue
    for (const candidate of (event.data as { candidates: CandidateRecord[] }).candidates)
      if (candidate.status === 'partial') candidate.status = 'complete'
  }
  return applyEvents(store, projectId, copy, head)
}

const appliers: Array<{ name: string; apply: typeof applyEvents; isSound: boolean }> = [
  { name: 'the real applier', apply: applyEvents, isSound: true },
  { name: 'an applier that drops partial candidates', apply: dropsPartials, isSound: false },
  { name: 'an applier that records partial candidates as complete', apply: promotesPartials, isSound: false },
]

describe('projecting candidates.recorded', () => {
  it.each(appliers)('keeps every candidate as recorded — $name', async ({ apply, isSound }) => {
    const generated = generatedLog()
    const { log } = generated
    await apply(db, log.projectId, log.events, log.head())
    const problems = await candidateProblems(db, generated)
    if (isSound) expect(problems).toEqual([])
    else expect(problems.length, 'the check must catch a broken applier').toBeGreaterThan(0)
  })

  it('is idempotent by id: the same events twice, or re-sent in a later event, leave the same rows', async () => {
    const generated = generatedLog()
    const { log } = generated
    await applyEvents(db, log.projectId, log.events, log.head())
    const once = await db.candidates.toArray()

    // A store rebuilt under a fresh sentinel replays every event over the rows already there.
    await db.sentinel.clear()
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(await db.candidates.toArray()).toEqual(once)

    // Main re-sending a record it already logged (e.g. after a crash between flush and ack) adds no row.
    log.append('candidates.recorded', { candidates: [generated.candidates[1]!] })
    await applyEvents(db, log.projectId, log.events, log.head())
    expect(await db.candidates.toArray()).toEqual(once)
    expect(await candidateProblems(db, generated)).toEqual([])
  })

  it('keeps a partial candidate partial, with its text and failure', async () => {
    const generated = generatedLog()
    const { log } = generated
    await applyEvents(db, log.projectId, log.events, log.head())
    const partial = generated.candidates[1]!
    expect(await db.candidates.get([log.projectId, partial.id])).toEqual({
      ...partial,
      projectId: log.projectId,
    })
    expect(await countCandidates(db, log.projectId, 'partial')).toBe(1)
  })
})

describe('candidates repo', () => {
  it("lists a sample's candidates newest first, and only that sample's", async () => {
    const generated = generatedLog()
    const { log, sampleIds, candidates } = generated
    await applyEvents(db, log.projectId, log.events, log.head())
    const [complete, partial, failed, other] = candidates as [
      CandidateRecord,
      CandidateRecord,
      CandidateRecord,
      CandidateRecord,
    ]
    const listed = await listCandidatesForSample(db, log.projectId, sampleIds[0]!)
    expect(listed.map((row) => row.id)).toEqual([failed.id, partial.id, complete.id])
    expect((await listCandidatesForSample(db, log.projectId, sampleIds[1]!)).map((row) => row.id)).toEqual([
      other.id,
    ])
    expect(await listCandidatesForSample(db, log.projectId, 'no-such-sample')).toEqual([])
  })

  it("counts a project's candidates, by status, and nothing of another project", async () => {
    const generated = generatedLog()
    const elsewhere = generatedLog()
    for (const { log } of [generated, elsewhere]) await applyEvents(db, log.projectId, log.events, log.head())
    const { projectId } = generated.log
    expect(await countCandidates(db, projectId)).toBe(4)
    expect(await countCandidates(db, projectId, 'complete')).toBe(2)
    expect(await countCandidates(db, projectId, 'partial')).toBe(1)
    expect(await countCandidates(db, projectId, 'failed')).toBe(1)
    expect(await countCandidates(db, 'no-such-project')).toBe(0)
  })

  it("clearProject removes one project's candidates and keeps another's", async () => {
    const cleared = generatedLog()
    const kept = generatedLog()
    for (const { log } of [cleared, kept]) await applyEvents(db, log.projectId, log.events, log.head())
    await clearProject(db, cleared.log.projectId)
    expect(await countCandidates(db, cleared.log.projectId)).toBe(0)
    expect(await listCandidatesForSample(db, cleared.log.projectId, cleared.sampleIds[0]!)).toEqual([])
    expect(await candidateProblems(db, kept)).toEqual([])
  })
})
