// From a mapped record to what the log holds: ids that are the same on every import of the same record
// (the basis of an idempotent re-import), UUIDv7 decision ids carrying the tool's time, and provenance that
// says where a text came from with null wherever the tool did not say.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { materialise, type ImportPlace } from '../../../../src-main/services/import/tools/materialise'
import type { ToolRecord } from '../../../../src-main/services/import/tools/tool-record'
import { candidateRecord } from '@shared/domain/candidate'

const place: ImportPlace = {
  tool: 'prodigy',
  projectId: 'project-1',
  batchId: 'batch-1',
  fileName: 'news.jsonl',
  importedAt: '2026-01-01T00:00:00.000Z',
}

const record: ToolRecord = {
  text: 'Headline, please: rates held at 5%.',
  externalId: 'prodigy:42',
  meta: { _input_hash: 42 },
  candidates: [
    { key: 'option:1', text: 'Rates unchanged', model: 'qwen2.5:7b' },
    { key: 'option:2', text: 'Bank holds rates at 5%', model: null },
  ],
  decisions: [
    {
      key: 'task-9|alice|0',
      annotator: 'alice',
      at: '2024-05-31T16:08:37.000Z',
      timeSpentMs: 0,
      kind: 'select',
      candidateKey: 'option:2',
      editedText: null,
      note: null,
      recordId: '9',
    },
    {
      key: 'task-9|anon|0',
      annotator: null,
      at: null,
      timeSpentMs: 0,
      kind: 'skip',
      candidateKey: null,
      editedText: null,
      note: null,
      recordId: '9',
    },
  ],
}

function made(input = record, at = place) {
  const result = materialise(input, at, 7, 'model')
  if (!result.ok) throw new Error(result.reason)
  return result
}

describe('materialise', () => {
  it('derives the same ids from the same record, whatever batch or day it is imported in', () => {
    const first = made()
    const again = made(record, { ...place, batchId: 'batch-2', importedAt: '2026-02-02T00:00:00.000Z' })
    expect(again.sample.id).toBe(first.sample.id)
    expect(again.sample.contentHash).toBe(first.sample.contentHash)
    expect(again.candidates.map((c) => c.id)).toEqual(first.candidates.map((c) => c.id))
    expect(again.decisions.map((d) => d.id)).toEqual(first.decisions.map((d) => d.id))
  })

  it('gives another tool’s copy of the same text, or a changed candidate text, other ids', () => {
    const first = made()
    expect(made(record, { ...place, tool: 'argilla' }).sample.id).not.toBe(first.sample.id)
    const edited = {
      ...record,
      candidates: [record.candidates[0]!, { ...record.candidates[1]!, text: 'Rates held' }],
    }
    const ids = made(edited).candidates.map((c) => c.id)
    expect(ids[0]).toBe(first.candidates[0]!.id)
    expect(ids[1]).not.toBe(first.candidates[1]!.id)
  })

  it('writes decision ids as UUIDv7 stamped with the tool’s time, or 0 where it gave none', () => {
    const { decisions } = made()
    for (const d of decisions) expect(z.uuid({ version: 'v7' }).safeParse(d.id).success).toBe(true)
    expect(parseInt(decisions[0]!.id.replace(/-/g, '').slice(0, 12), 16)).toBe(
      Date.parse('2024-05-31T16:08:37Z'),
    )
    expect(decisions[1]!.id.startsWith('00000000-0000-7')).toBe(true)
  })

  it('keeps the annotator and time as the tool said, on a chain per tool and annotator', () => {
    const { decisions, candidates } = made()
    expect(decisions[0]).toMatchObject({
      annotator: 'prodigy:alice',
      at: '2024-05-31T16:08:37.000Z',
      candidateId: candidates[1]!.id,
      shownOrder: candidates.map((c) => c.id),
      imported: {
        tool: 'prodigy',
        fileName: 'news.jsonl',
        line: 7,
        recordId: '9',
        annotator: 'alice',
        at: '2024-05-31T16:08:37.000Z',
      },
    })
    // Unknown annotator and time: the decision needs both, the import record says they were not given.
    expect(decisions[1]).toMatchObject({
      annotator: 'prodigy:unnamed',
      at: place.importedAt,
      imported: { annotator: null, at: null },
    })
  })

  it('records candidates as imported, with nulls where the tool did not say', () => {
    const { candidates } = made()
    for (const candidate of candidates) expect(candidateRecord.safeParse(candidate).success).toBe(true)
    expect(candidates[0]!.provenance).toMatchObject({
      engine: 'import',
      model: 'qwen2.5:7b',
      modelDigest: null,
      sampling: { temperature: null, seed: null },
      imported: {
        tool: 'prodigy',
        fileName: 'news.jsonl',
        line: 7,
        model: 'qwen2.5:7b',
        recordId: 'option:1',
      },
    })
    expect(candidates[1]!.provenance).toMatchObject({ model: 'unknown', imported: { model: null } })
  })

  it('refuses a record whose decision names a candidate it does not have', () => {
    const broken = { ...record, decisions: [{ ...record.decisions[0]!, candidateKey: 'option:9' }] }
    const result = materialise(broken, place, 3, 'human')
    expect(result).toEqual({
      ok: false,
      reason: 'decision 1 cannot be recorded: candidateId select needs candidateId',
    })
  })
})
