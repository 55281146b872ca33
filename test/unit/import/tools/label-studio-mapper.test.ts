// Label Studio JSON export tasks, hand-made from its documented task format (data, annotations[].result[]
// with from_name / to_name / type / value, completed_by, was_cancelled, lead_time, predictions with
// model_version), mapped to sample, candidates and decisions.
import { describe, expect, it } from 'vitest'
import { mapLabelStudioTask } from '../../../../src-main/services/import/tools/label-studio'
import type { ToolRecord } from '../../../../src-main/services/import/tools/tool-record'

const annotation = (id: number, result: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  result,
  was_cancelled: false,
  ground_truth: false,
  created_at: '2024-03-09T22:16:08.728353Z',
  updated_at: '2024-03-09T22:17:10.100000Z',
  lead_time: 4.288,
  task: 1,
  completed_by: 10,
  ...extra,
})

/** The RLHF preference template: a prompt, two answers, a Pairwise control over them. */
const pairwiseTask = {
  id: 1,
  project: 83,
  data: {
    prompt: 'Explain recursion to a child.',
    answer1: 'It is when a thing uses itself.',
    answer2: 'Recursion is a loop.',
  },
  annotations: [
    annotation(1001, [
      {
        id: 'r1',
        from_name: 'comparison',
        to_name: 'answer1,answer2',
        type: 'pairwise',
        value: { selected: 'left' },
      },
      {
        id: 'r2',
        from_name: 'fixed',
        to_name: 'answer1',
        type: 'textarea',
        value: { text: ['It is when a thing is defined using itself.'] },
      },
    ]),
    annotation(
      1002,
      [
        {
          id: 'r3',
          from_name: 'comparison',
          to_name: 'answer1,answer2',
          type: 'pairwise',
          value: { selected: 'right' },
        },
      ],
      {
        completed_by: { id: 11, email: 'bob@example.org' },
      },
    ),
    annotation(1003, [], { was_cancelled: true, completed_by: 12 }),
  ],
  predictions: [
    {
      id: 7,
      model_version: 'mistral-7b-instruct',
      result: [
        {
          id: 'p1',
          from_name: 'fixed',
          to_name: 'answer1',
          type: 'textarea',
          value: { text: ['A function that calls itself.'] },
        },
      ],
    },
  ],
}

function mapped(task: Record<string, unknown>, textField = 'prompt'): ToolRecord {
  const result = mapLabelStudioTask(task, textField)
  if (!result.ok) throw new Error(result.reason)
  return result.record
}

describe('mapLabelStudioTask', () => {
  it('maps a pairwise task: answers and textarea predictions are candidates; per annotation a decision', () => {
    const record = mapped(pairwiseTask)
    expect(record.text).toBe('Explain recursion to a child.')
    expect(record.externalId).toBe('label-studio:1')
    expect(record.meta).toEqual({ project: 83 })
    expect(record.candidates).toEqual([
      { key: 'answer1', text: 'It is when a thing uses itself.', model: null },
      { key: 'answer2', text: 'Recursion is a loop.', model: null },
      { key: 'prediction:7:0', text: 'A function that calls itself.', model: 'mistral-7b-instruct' },
    ])
    expect(
      record.decisions.map(({ kind, candidateKey, editedText, annotator, recordId }) => ({
        kind,
        candidateKey,
        editedText,
        annotator,
        recordId,
      })),
    ).toEqual([
      // The textarea edits what the same annotation picked: one edit, not a select and an edit.
      {
        kind: 'edit',
        candidateKey: 'answer1',
        editedText: 'It is when a thing is defined using itself.',
        annotator: '10',
        recordId: '1001',
      },
      {
        kind: 'select',
        candidateKey: 'answer2',
        editedText: null,
        annotator: 'bob@example.org',
        recordId: '1002',
      },
      { kind: 'skip', candidateKey: null, editedText: null, annotator: '12', recordId: '1003' },
    ])
    expect(record.decisions[0]).toMatchObject({ at: '2024-03-09T22:17:10.100Z', timeSpentMs: 4288 })
  })

  it('reads choices that name an answer, or accept / reject the only one, and notes any other label', () => {
    const graded = {
      id: 2,
      data: { text: 'Translate "chat" to English.', response: 'cat' },
      annotations: [
        annotation(1, [
          { from_name: 'verdict', to_name: 'response', type: 'choices', value: { choices: ['Accept'] } },
        ]),
        annotation(2, [
          { from_name: 'verdict', to_name: 'response', type: 'choices', value: { choices: ['Reject'] } },
        ]),
        annotation(3, [
          {
            from_name: 'tone',
            to_name: 'response',
            type: 'choices',
            value: { choices: ['Formal', 'Terse'] },
          },
        ]),
        annotation(4, [{ from_name: 'quality', to_name: 'response', type: 'rating', value: { rating: 4 } }]),
      ],
    }
    const record = mapped(graded, 'text')
    expect(record.decisions.map((d) => [d.kind, d.candidateKey, d.note])).toEqual([
      ['select', 'response', null],
      ['reject-all', null, null],
      ['note', null, 'Label Studio tone: Formal, Terse'],
      ['note', null, 'Label Studio quality: rating 4'],
    ])
  })

  it('reads a ranker over a list field: its items are candidates and the top one is selected', () => {
    const ranked = {
      id: 3,
      data: {
        prompt: 'Best title for a post about sourdough?',
        items: [
          { id: 'a', title: 'Sourdough 101' },
          { id: 'b', title: 'Bread, slowly' },
        ],
      },
      annotations: [
        annotation(9, [
          { from_name: 'rank', to_name: 'items', type: 'ranker', value: { ranker: { rank: ['b', 'a'] } } },
        ]),
      ],
    }
    const record = mapped(ranked)
    expect(record.candidates.map((c) => c.key)).toEqual(['item:a', 'item:b'])
    expect(record.decisions[0]).toMatchObject({ kind: 'select', candidateKey: 'item:b' })
  })

  it('keeps a media link in data as metadata, not as a candidate', () => {
    const record = mapped({
      id: 6,
      data: {
        prompt: 'Describe the picture.',
        image: 'https://example.org/cat.png',
        answer: 'A cat on a mat.',
      },
    })
    expect(record.candidates.map((c) => c.key)).toEqual(['answer'])
    expect(record.meta).toEqual({ image: 'https://example.org/cat.png' })
  })

  it('keeps a textarea with no candidate to edit as a note, never dropping it', () => {
    const record = mapped({
      id: 4,
      data: { prompt: 'Write a haiku about rain.' },
      annotations: [
        annotation(5, [
          {
            from_name: 'answer',
            to_name: 'prompt',
            type: 'textarea',
            value: { text: ['Soft rain on the roof'] },
          },
        ]),
      ],
    })
    expect(record.decisions).toEqual([
      expect.objectContaining({
        kind: 'note',
        note: 'Label Studio answer: wrote Soft rain on the roof (no single candidate it edits)',
      }),
    ])
  })

  it.each([
    [{ id: 5, text: 'no data' }, 'the task has no "data" object'],
    [{ id: 5, data: { image: 42 } }, 'the task\'s "data" has no text in "prompt"'],
    [{ id: 5, data: { prompt: 'x' }, annotations: {} }, '"annotations" is {}, not a list'],
    [
      { id: 5, data: { prompt: 'x' }, annotations: [annotation(1, [{ type: 'choices' }])] },
      'annotation 1: a result without a "value" object',
    ],
  ])('refuses an unmappable task with a reason (%#)', (task, reason) => {
    const result = mapLabelStudioTask(task, 'prompt')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })
})
