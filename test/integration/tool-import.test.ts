// Moving in from other tools, end to end in Node: a Prodigy, a Label Studio and an Argilla export through
// the import service into the project log and back — samples, candidates and decisions present and marked
// as imported, located errors for what could not be mapped, chains that verify, and a re-import that adds
// nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { AppServices } from '../../src-main/services/app-services'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { readLogEvent, type TypedLogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { DecisionRecord } from '@shared/domain/decision'
import type { ImportFormat } from '@shared/domain/import-spec'
import type { SampleRecord } from '@shared/domain/sample'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { JobSnapshot } from '@shared/jobs/job'

const task = (input: number, annotator: string, accept: string, at: number) => ({
  text: `Summarise document ${input}.`,
  options: [
    { id: 'A', text: `Summary A of ${input}` },
    { id: 'B', text: `Summary B of ${input}` },
  ],
  _input_hash: input,
  _task_hash: input * 10,
  accept: [accept],
  answer: 'accept',
  _annotator_id: annotator,
  _timestamp: at,
})

const prodigyLines = [
  JSON.stringify(task(1, 'alice', 'A', 1_700_000_000)),
  JSON.stringify(task(1, 'bob', 'B', 1_700_000_100)),
  '{"text": "broken',
  JSON.stringify({ ...task(2, 'alice', 'A', 1_700_000_200), answer: 'maybe' }),
  JSON.stringify(task(2, 'alice', 'B', 1_700_000_300)),
]

const labelStudioExport = `[
  {"id": 1, "data": {"prompt": "Say hi", "answer1": "Hi!", "answer2": "Greetings."},
   "annotations": [{"id": 11, "completed_by": 3, "created_at": "2024-01-02T03:04:05Z", "lead_time": 2.5,
     "result": [{"from_name": "pw", "to_name": "answer1,answer2", "type": "pairwise", "value": {"selected": "right"}}]}]},
  {"id": 2, "data": {"image": 7}, "annotations": []},
  {"id": 3, "data": {"prompt": "Say bye", "answer1": "Bye"},
   "annotations": [{"id": 31, "completed_by": 3, "was_cancelled": true, "result": []}]}
]
`

const argillaLine = JSON.stringify({
  id: 'r1',
  fields: { prompt: 'Two plus two?', response: 'Five' },
  responses: { ok: [{ value: 'bad', user_id: 'u-9', status: 'submitted' }] },
  status: 'completed',
})

describe('importing other tools’ annotations', () => {
  let work: string
  let services: AppServices

  beforeEach(async () => {
    work = await tempDir('tool-import')
    services = await openTestServices(join(work, 'data'))
  })
  afterEach(async () => {
    await services.close()
    await cleanup(work)
  })

  async function runImport(projectId: string, path: string, format: ImportFormat, textField: string) {
    const spec = {
      path,
      format,
      textField,
      idField: null,
      origin: { kind: 'declared' as const, value: 'model' as const },
    }
    const { jobId } = await services.handlers['import.start']({ projectId, spec })
    return jobSettled(services, jobId)
  }

  async function logOf(projectId: string): Promise<TypedLogEvent[]> {
    const head = await services.handlers['log.head']({ projectId })
    const events: TypedLogEvent[] = []
    for (let after = 0; after < head.lastSeq;) {
      const page = await services.handlers['log.read']({
        projectId,
        afterSeq: after,
        maxEvents: 1000,
        maxBytes: 8 << 20,
      })
      for (const event of page.events) {
        const typed = readLogEvent(event)
        if (typed) events.push(typed)
      }
      after = page.events.at(-1)!.seq
    }
    return events
  }

  const samplesOf = (events: TypedLogEvent[]): SampleRecord[] =>
    events.flatMap((e) => (e.kind === 'samples.imported' ? e.data.samples : []))
  const candidatesOf = (events: TypedLogEvent[]): CandidateRecord[] =>
    events.flatMap((e) => (e.kind === 'candidates.recorded' ? e.data.candidates : []))
  const decisionsOf = (events: TypedLogEvent[]): DecisionRecord[] =>
    events.flatMap((e) => (e.kind === 'decision.recorded' ? [e.data.decision] : []))

  it('brings in Prodigy annotations with their annotators and times, reports bad lines, and re-imports nothing', async () => {
    const path = join(work, 'summaries.jsonl')
    await writeFile(path, `${prodigyLines.join('\n')}\n`)
    const project = await services.handlers['projects.create']({ name: 'from prodigy' })

    const first = await runImport(project.id, path, 'prodigy-jsonl', 'text')
    expect(first.status).toBe('done')
    expect(first.result).toEqual({ read: 5, imported: 3, duplicates: 0, rejected: 2 })

    const events = await logOf(project.id)
    const finished = events.find((e) => e.kind === 'import.batchFinished')
    if (finished?.kind !== 'import.batchFinished') throw new Error('no batchFinished event')
    expect(finished.data.errors).toEqual([
      { line: 3, reason: expect.stringContaining('JSON') as string },
      { line: 4, reason: '"answer" is maybe, not accept, reject or ignore' },
    ])

    const samples = samplesOf(events)
    expect(samples.map((s) => [s.text, s.externalId, s.origin, s.line])).toEqual([
      ['Summarise document 1.', 'prodigy:1', 'model', 1],
      ['Summarise document 2.', 'prodigy:2', 'model', 5],
    ])
    const candidates = candidatesOf(events)
    expect(candidates.map((c) => [c.text, c.provenance.engine, c.provenance.imported?.tool])).toEqual([
      ['Summary A of 1', 'import', 'prodigy'],
      ['Summary B of 1', 'import', 'prodigy'],
      ['Summary A of 2', 'import', 'prodigy'],
      ['Summary B of 2', 'import', 'prodigy'],
    ])
    const textOf = (id: string | null) => candidates.find((c) => c.id === id)?.text
    // One decision per good line, each one the person's own: losing any of them fails here.
    const decisions = decisionsOf(events)
    expect(
      decisions.map((d) => [
        d.annotator,
        d.imported?.annotator,
        d.at,
        d.kind,
        textOf(d.candidateId),
        d.imported?.line,
      ]),
    ).toEqual([
      ['prodigy:alice', 'alice', '2023-11-14T22:13:20.000Z', 'select', 'Summary A of 1', 1],
      ['prodigy:bob', 'bob', '2023-11-14T22:15:00.000Z', 'select', 'Summary B of 1', 2],
      ['prodigy:alice', 'alice', '2023-11-14T22:18:20.000Z', 'select', 'Summary B of 2', 5],
    ])
    expect(await services.handlers['review.verify']({ projectId: project.id })).toMatchObject({
      ok: true,
      decisions: 3,
      chains: 2,
    })
    // Imported annotators count in agreement like any other: on document 1 alice chose A and bob B.
    expect(await services.handlers['merge.agreement']({ projectId: project.id })).toMatchObject({
      annotators: ['prodigy:alice', 'prodigy:bob'],
      overlappingSamples: 1,
      agreeingSamples: 0,
    })
    const second = samples[1]!
    const review = reduceSampleReview(decisions.filter((d) => d.sampleId === second.id))
    expect(textOf(review.chosenCandidateId)).toBe('Summary B of 2')

    const again = await runImport(project.id, path, 'prodigy-jsonl', 'text')
    expect(again.result).toEqual({ read: 5, imported: 0, duplicates: 3, rejected: 2 })
    const after = await logOf(project.id)
    expect(samplesOf(after)).toHaveLength(2)
    expect(candidatesOf(after)).toHaveLength(4)
    expect(decisionsOf(after).map((d) => d.id)).toEqual(decisions.map((d) => d.id))
  })

  it('keeps every chain whole across many batches appended while the next ones are sealed', async () => {
    const inputs = 1_500
    const lines: string[] = []
    for (let input = 1; input <= inputs; input++) {
      const long = {
        ...task(input, 'alice', 'A', 1_700_000_000 + input),
        text: `${'Long input. '.repeat(40)}${input}`,
      }
      lines.push(JSON.stringify(long), JSON.stringify({ ...long, _annotator_id: 'bob', accept: ['B'] }))
    }
    const path = join(work, 'many.jsonl')
    await writeFile(path, `${lines.join('\n')}\n`)
    const project = await services.handlers['projects.create']({ name: 'many' })
    const job = await runImport(project.id, path, 'prodigy-jsonl', 'text')
    expect(job.result).toEqual({ read: 3_000, imported: 3_000, duplicates: 0, rejected: 0 })
    const events = await logOf(project.id)
    expect(events.filter((e) => e.kind === 'samples.imported').length).toBeGreaterThan(3)
    expect(samplesOf(events)).toHaveLength(inputs)
    expect(decisionsOf(events)).toHaveLength(3_000)
    expect(await services.handlers['review.verify']({ projectId: project.id })).toEqual({
      ok: true,
      decisions: 3_000,
      chains: 2,
    })
    const again = await runImport(project.id, path, 'prodigy-jsonl', 'text')
    expect(again.result).toEqual({ read: 3_000, imported: 0, duplicates: 3_000, rejected: 0 })
    expect(decisionsOf(await logOf(project.id))).toHaveLength(3_000)
  })

  it('resumes a cancelled import after the last batch in the log, losing and doubling nothing', async () => {
    const lines: string[] = []
    for (let input = 1; input <= 10_000; input++) {
      const long = {
        ...task(input, 'alice', 'A', 1_700_000_000 + input),
        text: `${'Input. '.repeat(60)}${input}`,
      }
      lines.push(JSON.stringify(long), JSON.stringify({ ...long, _annotator_id: 'bob', accept: ['B'] }))
    }
    const path = join(work, 'paused.jsonl')
    await writeFile(path, `${lines.join('\n')}\n`)
    const project = await services.handlers['projects.create']({ name: 'paused' })
    const spec = {
      path,
      format: 'prodigy-jsonl' as const,
      textField: 'text',
      idField: null,
      origin: { kind: 'declared' as const, value: 'model' as const },
    }
    const underway = new Promise<string>((resolve) => {
      const stop = services.events.subscribe((name, payload) => {
        const job = payload as JobSnapshot
        // After a checkpoint, so the resume goes on from the log's last batch rather than starting over.
        if (name === 'jobs.changed' && job.checkpoint !== null && job.status === 'running') {
          stop()
          resolve(job.id)
        }
      })
    })
    const { jobId } = await services.handlers['import.start']({ projectId: project.id, spec })
    const cancelled = jobSettled(services, jobId)
    await underway
    await services.handlers['jobs.cancel']({ jobId })
    expect((await cancelled).status).toBe('cancelled')
    const partly = decisionsOf(await logOf(project.id)).length
    expect(partly).toBeGreaterThan(0)
    expect(partly).toBeLessThan(20_000)

    const finished = jobSettled(services, jobId)
    await services.handlers['jobs.resume']({ jobId })
    const job = await finished
    expect(job.status).toBe('done')
    expect(job.result).toEqual({ read: 20_000, imported: 20_000, duplicates: 0, rejected: 0 })
    const events = await logOf(project.id)
    const decisions = decisionsOf(events)
    expect(decisions).toHaveLength(20_000)
    expect(new Set(decisions.map((d) => d.id)).size).toBe(20_000)
    expect(samplesOf(events).map((sample) => sample.ord)).toEqual(
      Array.from({ length: 10_000 }, (_, index) => index + 1),
    )
    expect(await services.handlers['review.verify']({ projectId: project.id })).toEqual({
      ok: true,
      decisions: 20_000,
      chains: 2,
    })
  })

  it('adds a new annotator of an input already imported to the same sample and candidates', async () => {
    const path = join(work, 'first.jsonl')
    await writeFile(path, `${prodigyLines[0]}\n`)
    const project = await services.handlers['projects.create']({ name: 'two passes' })
    await runImport(project.id, path, 'prodigy-jsonl', 'text')
    const later = join(work, 'later.jsonl')
    await writeFile(later, `${prodigyLines[1]}\n`)
    const job = await runImport(project.id, later, 'prodigy-jsonl', 'text')
    expect(job.result).toEqual({ read: 1, imported: 1, duplicates: 0, rejected: 0 })
    const events = await logOf(project.id)
    expect(samplesOf(events)).toHaveLength(1)
    expect(candidatesOf(events)).toHaveLength(2)
    const decisions = decisionsOf(events)
    expect(decisions.map((d) => [d.annotator, d.sampleId])).toEqual([
      ['prodigy:alice', samplesOf(events)[0]!.id],
      ['prodigy:bob', samplesOf(events)[0]!.id],
    ])
  })

  it('streams a Label Studio export and an Argilla file the same way', async () => {
    const project = await services.handlers['projects.create']({ name: 'from label studio' })
    const lsPath = join(work, 'export.json')
    await writeFile(lsPath, labelStudioExport)
    const preview = await services.handlers['import.preview']({ path: lsPath, format: null })
    expect(preview.format).toBe('label-studio-json')
    expect(preview.suggestedTextField).toBe('prompt')

    const ls = await runImport(project.id, lsPath, 'label-studio-json', 'prompt')
    expect(ls.result).toEqual({ read: 3, imported: 2, duplicates: 0, rejected: 1 })
    let events = await logOf(project.id)
    const finished = events.find((e) => e.kind === 'import.batchFinished')
    if (finished?.kind !== 'import.batchFinished') throw new Error('no batchFinished event')
    expect(finished.data.errors).toEqual([
      { line: 5, reason: expect.stringContaining('has no text in "prompt"') as string },
    ])
    const candidates = candidatesOf(events)
    expect(
      decisionsOf(events).map((d) => [
        d.annotator,
        d.kind,
        candidates.find((c) => c.id === d.candidateId)?.text ?? null,
        d.timeSpentMs,
      ]),
    ).toEqual([
      ['label-studio:3', 'select', 'Greetings.', 2500],
      ['label-studio:3', 'skip', null, 0],
    ])

    const argillaPath = join(work, 'records.jsonl')
    await writeFile(argillaPath, `${argillaLine}\n`)
    expect((await services.handlers['import.preview']({ path: argillaPath, format: null })).format).toBe(
      'argilla-records',
    )
    const argilla = await runImport(project.id, argillaPath, 'argilla-records', 'prompt')
    expect(argilla.result).toEqual({ read: 1, imported: 1, duplicates: 0, rejected: 0 })
    events = await logOf(project.id)
    expect(decisionsOf(events).at(-1)).toMatchObject({ annotator: 'argilla:u-9', kind: 'reject-all' })
    expect(await services.handlers['review.verify']({ projectId: project.id })).toMatchObject({
      ok: true,
      decisions: 3,
    })
  })

  it('reads an Argilla dataset exported to the Hugging Face Hub as Parquet', async () => {
    const path = join(work, 'train-00000-of-00001.parquet')
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ['r1', 'r2'], type: 'STRING' },
        { name: 'prompt', data: ['Capital of Peru?', 'Capital of Chile?'], type: 'STRING' },
        { name: 'response', data: ['Lima', 'Lima'], type: 'STRING' },
        { name: 'label.responses', data: [['good', 'bad'], ['bad']], type: 'JSON' },
        { name: 'label.responses.users', data: [['u1', 'u2'], ['u1']], type: 'JSON' },
        { name: 'label.responses.status', data: [['submitted', 'submitted'], ['submitted']], type: 'JSON' },
      ],
    })
    await writeFile(path, new Uint8Array(buffer))
    const project = await services.handlers['projects.create']({ name: 'from the hub' })
    const job = await runImport(project.id, path, 'argilla-records', 'prompt')
    expect(job.result).toEqual({ read: 2, imported: 2, duplicates: 0, rejected: 0 })
    const events = await logOf(project.id)
    const texts = new Map(samplesOf(events).map((sample) => [sample.id, sample.text]))
    expect(decisionsOf(events).map((d) => [texts.get(d.sampleId), d.annotator, d.kind])).toEqual([
      ['Capital of Peru?', 'argilla:u1', 'select'],
      ['Capital of Peru?', 'argilla:u2', 'reject-all'],
      ['Capital of Chile?', 'argilla:u1', 'reject-all'],
    ])
  })
})
