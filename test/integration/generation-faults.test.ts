// R8 through the real generation job (not just the engine): one test per Ollama fault mode against the
// protocol-faithful fake server. Each asserts the job's terminal state within a bounded time, every
// candidate's status and failure kind (partial when text streamed first, with exactly the tokens that
// streamed, never complete), and the fake's request counts: retried before the first token, never after.
//
// Stalls are tested both ways: with the app's default deadlines (30 s headers, 120 s first chunk, 60 s idle)
// by cancelling the job (it must end cancelled within 1 s, the stalled candidate recorded as aborted), and
// with the services' engines given 300 ms deadlines, where the job itself must end the candidate as a
// timeout within its deadline and go on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { FakeOllamaServer, deterministicWords } from '../fakes/fake-ollama-server'
import { cleanup, freePort, tempDir } from '../e2e/harness'
import { generationSpecFor } from '../factories/generation-spec'
import { readLogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { GenerationSpec } from '@shared/domain/generation-spec'
import type { JobSnapshot } from '@shared/jobs/job'

/** Per test: generous for a shared 2-core machine, yet far below any 30–120 s deadline of the job path. */
const TEST_MS = 15_000
const SEED = 42
/** maxTokens null: the fake answers its default 6 tokens. */
const TOKENS = 6

let work: string
let fake: FakeOllamaServer
let services: AppServices
let projectId: string

beforeEach(async () => {
  work = await tempDir('generation-faults')
  fake = await new FakeOllamaServer().start()
  services = await openTestServices(join(work, 'data'))
  await writeFile(join(work, 'corpus.jsonl'), JSON.stringify({ id: 's0', text: 'Story 0: a fox.' }))
  const project = await services.handlers['projects.create']({ name: 'faults' })
  const { jobId } = await services.handlers['import.start']({
    projectId: project.id,
    spec: {
      path: join(work, 'corpus.jsonl'),
      format: 'jsonl',
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared', value: 'human' },
    },
  })
  expect((await jobSettled(services, jobId)).status).toBe('done')
  projectId = project.id
})

afterEach(async () => {
  await services.close()
  await fake.stop()
  await cleanup(work)
})

/** One sample × one model × one temperature × k, one worker. */
function spec(host = fake.url, extra: Partial<GenerationSpec> = {}): GenerationSpec {
  return generationSpecFor(host, {
    models: [{ engine: 'ollama', host, model: 'tiny:latest' }],
    temperatures: [0.7],
    candidatesPerCell: 1,
    concurrency: 1,
    maxTokens: null,
    ...extra,
  })
}

async function candidates(): Promise<CandidateRecord[]> {
  const out: CandidateRecord[] = []
  for (let after = 0; ;) {
    const { events } = await services.handlers['log.read']({
      projectId,
      afterSeq: after,
      maxEvents: 1000,
      maxBytes: 8 << 20,
    })
    if (events.length === 0) return out
    for (const event of events) {
      const typed = readLogEvent(event)
      if (typed?.kind === 'candidates.recorded') out.push(...typed.data.candidates)
    }
    after = events.at(-1)!.seq
  }
}

interface Run {
  jobId: string
  job: JobSnapshot
  ms: number
  candidates: CandidateRecord[]
}

/** Starts a generation job and waits for it to settle (done, failed or cancelled). */
async function generate(s = spec()): Promise<Run> {
  const t0 = performance.now()
  const { jobId } = await services.handlers['generation.start']({ projectId, spec: s })
  const job = await jobSettled(services, jobId)
  return { jobId, job, ms: performance.now() - t0, candidates: await candidates() }
}

/** The single candidate of a k=1 job. */
function only(run: Run): CandidateRecord {
  expect(run.candidates).toHaveLength(1)
  return run.candidates[0]!
}

/** The first n tokens the fake streams for this candidate's prompt (what a partial must hold exactly). */
function streamed(candidate: CandidateRecord, n: number): string {
  const prompt = candidate.provenance.prompt
  if (prompt.mode !== 'chat') throw new Error('expected a chat prompt')
  return deterministicWords(
    JSON.stringify(prompt.messages),
    candidate.provenance.sampling.seed ?? SEED,
    TOKENS,
  )
    .slice(0, n)
    .join(' ')
}

/** Waits until the fake has seen `n` requests on the chat route (the job is then inside the fault). */
async function chatRequests(n: number): Promise<void> {
  const until = performance.now() + 5_000
  while (fake.count('chat') < n) {
    if (performance.now() > until)
      throw new Error(`the fake saw ${fake.count('chat')} chat requests, not ${n}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Cancels a running job; resolves with its settled snapshot and how long cancelling took. */
async function cancel(jobId: string): Promise<{ job: JobSnapshot; ms: number }> {
  const settled = jobSettled(services, jobId)
  const t0 = performance.now()
  expect(await services.handlers['jobs.cancel']({ jobId })).toEqual({ cancelled: true })
  const job = await settled
  return { job, ms: performance.now() - t0 }
}

function expectFailed(candidate: CandidateRecord, kind: string): void {
  expect(candidate.status).toBe('failed')
  expect(candidate.failure?.kind).toBe(kind)
  expect(candidate.text).toBe('')
  expect(candidate.doneReason).toBeNull()
  expect(candidate.provenance.attempt).toBe(1)
}

function expectPartial(candidate: CandidateRecord, kind: string, tokens: number): void {
  expect(candidate.status).toBe('partial')
  expect(candidate.failure?.kind).toBe(kind)
  expect(candidate.text).not.toBe('')
  // Exactly what streamed before the fault: nothing dropped, nothing invented.
  expect(candidate.text).toBe(streamed(candidate, tokens))
  expect(candidate.doneReason).toBeNull()
  expect(candidate.tokenCounts.completion).toBeNull()
  expect(candidate.provenance.attempt).toBe(1)
}

function expectComplete(candidate: CandidateRecord): void {
  expect(candidate.status).toBe('complete')
  expect(candidate.failure).toBeNull()
  expect(candidate.text).toBe(streamed(candidate, TOKENS))
  expect(candidate.tokenCounts.completion).toBe(TOKENS)
  expect(candidate.doneReason).toBe('stop')
  expect(candidate.provenance.attempt).toBe(1)
}

const counts = (complete: number, partial: number, failed: number) => ({
  complete,
  partial,
  failed,
  skipped: 0,
})

describe('R8 faults through the generation job', () => {
  it('baseline: no fault gives one complete candidate from one request', { timeout: TEST_MS }, async () => {
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(1, 0, 0))
    expectComplete(only(run))
    expect(fake.count('chat')).toBe(1)
  })

  it(
    'refused (nothing listening): the slot fails as refused after the engine retries, job done',
    {
      timeout: TEST_MS,
    },
    async () => {
      const closed = `http://127.0.0.1:${await freePort()}`
      const run = await generate(spec(closed))
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(0, 0, 1))
      expectFailed(only(run), 'refused')
      expect(only(run).provenance.host).toBe(closed)
      // 3 attempts with 125–250 ms and 250–500 ms of backoff between them.
      expect(run.ms).toBeLessThan(5_000)
      expect(fake.count('chat')).toBe(0)
    },
  )

  it(
    'refused, then back: retried before the first token, one complete candidate',
    { timeout: TEST_MS },
    async () => {
      await fake.refuseFor(100)
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(1, 0, 0))
      expectComplete(only(run))
      // The refused attempt never reached the server; the retry did, once.
      expect(fake.count('chat')).toBe(1)
    },
  )

  it('404 model missing: failed as not-found, not retried', { timeout: TEST_MS }, async () => {
    const run = await generate(
      spec(fake.url, { models: [{ engine: 'ollama', host: fake.url, model: 'missing:latest' }] }),
    )
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 0, 1))
    expectFailed(only(run), 'not-found')
    expect(only(run).failure?.message).toContain('not found, try pulling it first')
    expect(fake.count('chat')).toBe(1)
  })

  it(
    '500 once: retried before the first token, complete on the same slot attempt',
    { timeout: TEST_MS },
    async () => {
      fake.fail('chat', { kind: 'server-error' })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(1, 0, 0))
      expectComplete(only(run))
      expect(fake.count('chat')).toBe(2)
    },
  )

  it('500 persisting: failed as server-error after 3 requests', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'server-error' }, 3)
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 0, 1))
    expectFailed(only(run), 'server-error')
    expect(only(run).failure?.message).toContain('HTTP 500')
    expect(run.ms).toBeLessThan(5_000)
    expect(fake.count('chat')).toBe(3)
  })

  it('503 busy twice: retried until the queue drains, complete', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'busy' }, 2)
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(1, 0, 0))
    expectComplete(only(run))
    expect(fake.count('chat')).toBe(3)
  })

  it('503 busy persisting: failed as busy after 3 requests', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'busy' }, 3)
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 0, 1))
    expectFailed(only(run), 'busy')
    expect(fake.count('chat')).toBe(3)
  })

  it(
    'stall before headers: cancelling ends the job cancelled within 1 s, slot aborted, no retry',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'stall-headers' })
      const { jobId } = await services.handlers['generation.start']({ projectId, spec: spec() })
      await chatRequests(1)
      await new Promise((r) => setTimeout(r, 200))
      const { job, ms } = await cancel(jobId)
      expect(job.status).toBe('cancelled')
      expect(ms).toBeLessThan(1_000)
      const [candidate, ...rest] = await candidates()
      expect(rest).toHaveLength(0)
      expectFailed(candidate!, 'aborted')
      expect(fake.count('chat')).toBe(1)
    },
  )

  it(
    'stall mid-stream: cancelling ends the job cancelled within 1 s, the streamed text kept as partial',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'stall-mid', afterChunks: 2 })
      const { jobId } = await services.handlers['generation.start']({ projectId, spec: spec() })
      await chatRequests(1)
      await new Promise((r) => setTimeout(r, 300))
      const { job, ms } = await cancel(jobId)
      expect(job.status).toBe('cancelled')
      expect(ms).toBeLessThan(1_000)
      const [candidate, ...rest] = await candidates()
      expect(rest).toHaveLength(0)
      expectPartial(candidate!, 'aborted', 2)
      expect(fake.count('chat')).toBe(1)
    },
  )

  it('truncated stream (no done): partial as truncated, no retry', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'truncate', afterChunks: 3 })
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 1, 0))
    expectPartial(only(run), 'truncated', 3)
    expect(fake.count('chat')).toBe(1)
  })

  it(
    'truncated before any token: failed as truncated (empty, not partial)',
    { timeout: TEST_MS },
    async () => {
      fake.fail('chat', { kind: 'truncate', afterChunks: 0 })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(0, 0, 1))
      expectFailed(only(run), 'truncated')
      expect(fake.count('chat')).toBe(1)
    },
  )

  it(
    'connection reset mid-stream: partial as reset, never retried after the first token',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'reset', afterChunks: 2 })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(0, 1, 0))
      expectPartial(only(run), 'reset', 2)
      expect(fake.count('chat')).toBe(1)
    },
  )

  it('connection reset before the first token: retried, complete', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'reset', afterChunks: 0 })
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(1, 0, 0))
    expectComplete(only(run))
    expect(fake.count('chat')).toBe(2)
  })

  it(
    'malformed NDJSON line: the candidate fails as malformed (partial), no token dropped, no retry',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'malformed', afterChunks: 2 })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(0, 1, 0))
      expectPartial(only(run), 'malformed', 2)
      expect(only(run).text).not.toContain('lost')
      expect(fake.count('chat')).toBe(1)
    },
  )

  it(
    'error object mid-stream: partial as model-error with the server message, no retry',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'error-mid', afterChunks: 1 })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(0, 1, 0))
      expectPartial(only(run), 'model-error', 1)
      expect(only(run).failure?.message).toContain('unexpected EOF')
      expect(fake.count('chat')).toBe(1)
    },
  )

  it('HTML instead of NDJSON: failed as content-type, not retried', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'html' })
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 0, 1))
    expectFailed(only(run), 'content-type')
    expect(fake.count('chat')).toBe(1)
  })

  it('newline-free giant line: failed as too-large, fast, not retried', { timeout: TEST_MS }, async () => {
    fake.fail('chat', { kind: 'giant-line', bytes: 64 * 1024 * 1024 })
    const run = await generate()
    expect(run.job.status).toBe('done')
    expect(run.job.result).toMatchObject(counts(0, 0, 1))
    expectFailed(only(run), 'too-large')
    expect(run.ms).toBeLessThan(5_000)
    expect(fake.count('chat')).toBe(1)
  })

  it(
    'slow tokens (within the deadlines): complete, nothing lost, one request',
    { timeout: TEST_MS },
    async () => {
      fake.fail('chat', { kind: 'slow', delayMs: 100 })
      const run = await generate()
      expect(run.job.status).toBe('done')
      expect(run.job.result).toMatchObject(counts(1, 0, 0))
      expectComplete(only(run))
      expect(run.ms).toBeGreaterThan(TOKENS * 100)
      expect(fake.count('chat')).toBe(1)
    },
  )

  it(
    'abort (job cancelled mid-stream): cancelled within 1 s, streamed text partial, never retried',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'slow', delayMs: 200 })
      const { jobId } = await services.handlers['generation.start']({ projectId, spec: spec() })
      await chatRequests(1)
      // Tokens leave at 200, 400, 600 … ms after the request: cancel after the second one.
      await new Promise((r) => setTimeout(r, 500))
      const { job, ms } = await cancel(jobId)
      expect(job.status).toBe('cancelled')
      expect(ms).toBeLessThan(1_000)
      const [candidate, ...rest] = await candidates()
      expect(rest).toHaveLength(0)
      expect(candidate!.status).toBe('partial')
      expect(candidate!.failure?.kind).toBe('aborted')
      const words = candidate!.text.split(' ').length
      expect(words).toBeGreaterThanOrEqual(1)
      expect(words).toBeLessThan(TOKENS)
      expect(candidate!.text).toBe(streamed(candidate!, words))
      expect(fake.count('chat')).toBe(1)
    },
  )
})

describe('resuming after a failed slot', () => {
  it(
    'retries the failed slot with attempt 2 and never duplicates a complete candidate',
    {
      timeout: TEST_MS,
    },
    async () => {
      // Slot 0 fails (404); slot 1 stalls before headers and the job is cancelled there: a stopped job with a
      // failed slot.
      fake.fail('chat', { kind: 'not-found' })
      fake.fail('chat', { kind: 'stall-headers' })
      const s = spec(fake.url, { candidatesPerCell: 3 })
      const { jobId } = await services.handlers['generation.start']({ projectId, spec: s })
      await chatRequests(2)
      await new Promise((r) => setTimeout(r, 200))
      expect((await cancel(jobId)).job.status).toBe('cancelled')
      const first = await candidates()
      expect(first.map((c) => [c.slot.endsWith('|0'), c.status, c.failure?.kind])).toEqual([
        [true, 'failed', 'not-found'],
        [false, 'failed', 'aborted'],
      ])
      expect(fake.count('chat')).toBe(2)

      const settled = jobSettled(services, jobId)
      await services.handlers['jobs.resume']({ jobId })
      const job = await settled
      expect(job.status).toBe('done')
      expect(job.result).toMatchObject(counts(3, 0, 0))
      const all = await candidates()
      const complete = all.filter((c) => c.status === 'complete')
      expect(complete).toHaveLength(3)
      expect(new Set(complete.map((c) => c.slot)).size).toBe(3)
      const attempts = Object.fromEntries(complete.map((c) => [c.slot.slice(-1), c.provenance.attempt]))
      // Slots 0 and 1 were tried once before; slot 2 never was.
      expect(attempts).toEqual({ '0': 2, '1': 2, '2': 1 })
      for (const c of complete) expect(c.text).toBe(streamed(c, TOKENS))
      expect(fake.count('chat')).toBe(5)

      // Resuming again once everything is complete: nothing is regenerated.
      await expect(services.handlers['jobs.resume']({ jobId })).rejects.toMatchObject({ code: 'conflict' })
      expect(fake.count('chat')).toBe(5)
    },
  )

  it(
    'a job done with a failed and a partial slot runs again on resume: only those slots, attempt 2',
    {
      timeout: TEST_MS,
    },
    async () => {
      fake.fail('chat', { kind: 'not-found' })
      fake.fail('chat', { kind: 'malformed', afterChunks: 2 })
      const { jobId } = await services.handlers['generation.start']({
        projectId,
        spec: spec(fake.url, { candidatesPerCell: 3 }),
      })
      const first = await jobSettled(services, jobId)
      expect(first.status).toBe('done')
      expect(first.result).toMatchObject(counts(1, 1, 1))
      expect(fake.count('chat')).toBe(3)

      const settled = jobSettled(services, jobId)
      await services.handlers['jobs.resume']({ jobId })
      const job = await settled
      expect(job.status).toBe('done')
      expect(job.result).toMatchObject({ complete: 2, partial: 0, failed: 0, skipped: 1 })
      const all = await candidates()
      expect(all.map((c) => [c.slot.slice(-1), c.status, c.provenance.attempt])).toEqual([
        ['0', 'failed', 1],
        ['1', 'partial', 1],
        ['2', 'complete', 1],
        ['0', 'complete', 2],
        ['1', 'complete', 2],
      ])
      const complete = all.filter((c) => c.status === 'complete')
      expect(new Set(complete.map((c) => c.slot)).size).toBe(3)
      for (const c of complete) expect(c.text).toBe(streamed(c, TOKENS))
      // Only the two slots that had not completed were asked for again.
      expect(fake.count('chat')).toBe(5)
      await expect(services.handlers['jobs.resume']({ jobId })).rejects.toMatchObject({ code: 'conflict' })
      expect(fake.count('chat')).toBe(5)
    },
  )

  describe('with 300 ms deadlines', () => {
    const DEADLINE_MS = 300

    beforeEach(async () => {
      // The same data, reopened with short deadlines for every Ollama engine.
      await services.close()
      services = await openTestServices(join(work, 'data'), 'test', {
        ollama: { deadlines: { headersMs: DEADLINE_MS, firstChunkMs: DEADLINE_MS, idleMs: DEADLINE_MS } },
      })
    })

    it(
      'stall before headers: the candidate fails as a timeout within the deadline, not retried',
      { timeout: TEST_MS },
      async () => {
        fake.fail('chat', { kind: 'stall-headers' })
        const run = await generate()
        expect(run.job.status).toBe('done')
        expect(run.job.result).toMatchObject({ ...counts(0, 0, 1), failureKinds: { timeout: 1 } })
        expectFailed(only(run), 'timeout')
        expect(run.ms).toBeLessThan(DEADLINE_MS + 2_000)
        expect(fake.count('chat')).toBe(1)
      },
    )

    it(
      'stall mid-stream: partial as a timeout with exactly the streamed tokens, not retried',
      { timeout: TEST_MS },
      async () => {
        fake.fail('chat', { kind: 'stall-mid', afterChunks: 2 })
        const run = await generate()
        expect(run.job.status).toBe('done')
        expect(run.job.result).toMatchObject(counts(0, 1, 0))
        expectPartial(only(run), 'timeout', 2)
        expect(run.ms).toBeLessThan(DEADLINE_MS + 2_000)
        expect(fake.count('chat')).toBe(1)
      },
    )
  })
})
