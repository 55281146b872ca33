// Argilla records, hand-made from its documented shapes: v2 record dicts (fields, responses per question with
// user_id and status submitted | discarded | draft, suggestions per question with agent), v1 FeedbackDataset
// records (responses per user with values), and the flat rows of a Hugging Face dataset exported from v2.
import { describe, expect, it } from 'vitest'
import { mapArgillaRecord } from '../../../../src-main/services/import/tools/argilla'
import type { ToolRecord } from '../../../../src-main/services/import/tools/tool-record'

const alice = '5a2ed1c4-1d1c-4a5b-9a53-9f8a0e3f6c11'
const bob = '7b9f2e10-8c55-4a61-8e0f-2f3c9d4e5a22'

/** A preference dataset: a prompt, two responses, a label, a rating, a ranking and a correction. */
const v2Record = {
  id: 'rec-17',
  _server_id: 'd3b07384-d9a0-4c9b-8f6e-0c3a1b2d4e5f',
  fields: { prompt: 'Name a prime number greater than 10.', 'response-1': '11', 'response-2': '12' },
  metadata: { split: 'train' },
  suggestions: { better: { value: 'response-1', score: 0.8, agent: 'gpt-4o-mini' } },
  responses: {
    better: [
      { value: 'response-1', user_id: alice, status: 'submitted' },
      { value: 'response-2', user_id: bob, status: 'discarded' },
    ],
    quality: [{ value: 4, user_id: alice, status: 'submitted' }],
    'corrected-response': [{ value: '11 is a prime greater than 10.', user_id: alice, status: 'submitted' }],
  },
  status: 'completed',
  updated_at: '2024-06-01T10:00:00Z',
}

function mapped(row: Record<string, unknown>, textField = 'prompt'): ToolRecord {
  const result = mapArgillaRecord(row, textField)
  if (!result.ok) throw new Error(result.reason)
  return result.record
}

describe('mapArgillaRecord', () => {
  it('maps a v2 record: other fields are candidates; per annotator, their submitted answers', () => {
    const record = mapped(v2Record)
    expect(record.text).toBe('Name a prime number greater than 10.')
    expect(record.externalId).toBe('argilla:rec-17')
    expect(record.candidates).toEqual([
      { key: 'response-1', text: '11', model: null },
      { key: 'response-2', text: '12', model: null },
    ])
    expect(record.meta).toEqual({
      metadata: { split: 'train' },
      suggestions: { better: { value: 'response-1', score: 0.8, agent: 'gpt-4o-mini' } },
    })
    expect(
      record.decisions.map(({ kind, candidateKey, editedText, note, annotator }) => ({
        kind,
        candidateKey,
        editedText,
        note,
        annotator,
      })),
    ).toEqual([
      {
        kind: 'edit',
        candidateKey: 'response-1',
        editedText: '11 is a prime greater than 10.',
        note: null,
        annotator: alice,
      },
      {
        kind: 'note',
        candidateKey: null,
        editedText: null,
        note: 'Argilla quality: rating 4',
        annotator: alice,
      },
      { kind: 'skip', candidateKey: null, editedText: null, note: null, annotator: bob },
    ])
    expect(record.decisions[0]!.at).toBe('2024-06-01T10:00:00.000Z')
  })

  it('keeps a draft as a note: it was never submitted, so it is never a choice', () => {
    const record = mapped({
      ...v2Record,
      responses: { better: [{ value: 'response-2', user_id: alice, status: 'draft' }] },
    })
    expect(record.decisions).toEqual([
      expect.objectContaining({ kind: 'note', note: 'Argilla draft (not submitted): better = response-2' }),
    ])
  })

  it('selects the top of a ranking, in v2 (values best first) and v1 ({value, rank}) form', () => {
    const v2 = mapped({
      ...v2Record,
      responses: { rank: [{ value: ['response-2', 'response-1'], user_id: alice, status: 'submitted' }] },
    })
    expect(v2.decisions).toEqual([expect.objectContaining({ kind: 'select', candidateKey: 'response-2' })])
    const v1 = mapped({
      fields: v2Record.fields,
      external_id: 'ext-1',
      responses: [
        {
          user_id: bob,
          status: 'submitted',
          values: {
            rank: {
              value: [
                { value: 'response-1', rank: 2 },
                { value: 'response-2', rank: 1 },
              ],
            },
          },
        },
      ],
      suggestions: [{ question_name: 'rank', value: [], agent: 'ranker-v1' }],
    })
    expect(v1.externalId).toBe('argilla:ext-1')
    expect(v1.decisions).toEqual([
      expect.objectContaining({ kind: 'select', candidateKey: 'response-2', annotator: bob }),
    ])
  })

  it('accepts or rejects the only candidate by a label, and notes a label that is neither', () => {
    const single = { fields: { text: 'Is the sky green?', answer: 'No, it is usually blue.' }, id: 9 }
    const responses = (value: string) => ({
      ...single,
      responses: { verdict: [{ value, user_id: alice, status: 'submitted' }] },
    })
    expect(mapped(responses('good'), 'text').decisions[0]).toMatchObject({
      kind: 'select',
      candidateKey: 'answer',
    })
    expect(mapped(responses('bad'), 'text').decisions[0]).toMatchObject({ kind: 'reject-all' })
    expect(mapped(responses('sarcastic'), 'text').decisions[0]).toMatchObject({
      kind: 'note',
      note: 'Argilla verdict: sarcastic',
    })
  })

  it('reads the flat rows of a Hugging Face export of a v2 dataset', () => {
    const row = {
      id: 'rec-18',
      status: 'completed',
      prompt: 'Capital of Peru?',
      response: 'Lima',
      'label.responses': ['good', 'bad'],
      'label.responses.users': [alice, bob],
      'label.responses.status': ['submitted', 'submitted'],
      'label.suggestion': 'good',
      'label.suggestion.agent': 'judge-7b',
    }
    const record = mapped(row)
    expect(record.candidates).toEqual([{ key: 'response', text: 'Lima', model: null }])
    expect(record.decisions.map((d) => [d.annotator, d.kind])).toEqual([
      [alice, 'select'],
      [bob, 'reject-all'],
    ])
    expect(record.meta.suggestions).toEqual({
      'label.suggestion': 'good',
      'label.suggestion.agent': 'judge-7b',
    })
  })

  it.each([
    [{ id: 1, text: 'plain row' }, 'no "fields" object and no "<question>.responses" columns'],
    [
      { fields: { prompt: 'x' }, responses: 'yes' },
      '"responses" is neither a list (v1) nor an object by question (v2)',
    ],
    [{ fields: { prompt: 'x' }, responses: { q: 'yes' } }, '"responses.q" is not a list'],
    [{ fields: { image: 'https://x/1.png' } }, 'the record\'s "fields" has no text in "prompt"'],
  ])('refuses an unmappable record with a reason (%#)', (row, reason) => {
    const result = mapArgillaRecord(row, 'prompt')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })
})
