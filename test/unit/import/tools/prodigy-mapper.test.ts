// Prodigy db-out tasks, hand-made from Prodigy's documented task format (text, options, accept, answer,
// _input_hash, _task_hash, _annotator_id, _session_id, _timestamp, meta), mapped to sample, candidates
// and decisions.
import { describe, expect, it } from 'vitest'
import { mapProdigyTask } from '../../../../src-main/services/import/tools/prodigy'
import type { ToolRecord } from '../../../../src-main/services/import/tools/tool-record'

const choiceTask = {
  text: 'Summarise: The committee met on Tuesday and postponed the vote.',
  options: [
    { id: 'A', text: 'The committee postponed the vote on Tuesday.', meta: { model: 'llama3.2:3b' } },
    { id: 'B', text: 'A vote happened.' },
  ],
  meta: { source: 'minutes-2024' },
  _input_hash: -1420567372,
  _task_hash: 1839281273,
  _view_id: 'choice',
  accept: ['A'],
  answer: 'accept',
  _timestamp: 1717171717,
  _annotator_id: 'summaries-alice',
  _session_id: 'summaries-alice',
}

function mapped(task: Record<string, unknown>): ToolRecord {
  const result = mapProdigyTask(task, 'text')
  if (!result.ok) throw new Error(result.reason)
  return result.record
}

describe('mapProdigyTask', () => {
  it('maps a choice task: options become candidates, the accepted id is selected by its annotator', () => {
    const record = mapped(choiceTask)
    expect(record.text).toBe(choiceTask.text)
    expect(record.externalId).toBe('prodigy:-1420567372')
    expect(record.meta).toEqual({ meta: { source: 'minutes-2024' }, _input_hash: -1420567372 })
    expect(record.candidates).toEqual([
      { key: 'option:A', text: 'The committee postponed the vote on Tuesday.', model: 'llama3.2:3b' },
      { key: 'option:B', text: 'A vote happened.', model: null },
    ])
    expect(record.decisions).toHaveLength(1)
    expect(record.decisions[0]).toMatchObject({
      kind: 'select',
      candidateKey: 'option:A',
      annotator: 'summaries-alice',
      at: '2024-05-31T16:08:37.000Z',
      recordId: '1839281273',
    })
  })

  it('keeps the input identical for every annotator, so their copies are one sample', () => {
    const bob = { ...choiceTask, accept: ['B'], _annotator_id: 'summaries-bob', _timestamp: 1717180000 }
    const alice = mapped(choiceTask)
    const other = mapped(bob)
    expect(other.meta).toEqual(alice.meta)
    expect(other.candidates).toEqual(alice.candidates)
    expect(other.decisions[0]).toMatchObject({
      kind: 'select',
      candidateKey: 'option:B',
      annotator: 'summaries-bob',
    })
    expect(other.decisions[0]!.key).not.toBe(alice.decisions[0]!.key)
  })

  it('maps reject to reject-all and ignore to skip', () => {
    expect(mapped({ ...choiceTask, answer: 'reject', accept: [] }).decisions.map((d) => d.kind)).toEqual([
      'reject-all',
    ])
    expect(mapped({ ...choiceTask, answer: 'ignore' }).decisions.map((d) => d.kind)).toEqual(['skip'])
  })

  it('makes a text task without options its own candidate, and user_input an edit of it', () => {
    const task = {
      text: 'Paris is the capital of France.',
      _input_hash: 11,
      _task_hash: 12,
      answer: 'accept',
      user_input: 'Paris is the capital and largest city of France.',
      _session_id: 'facts-carol',
    }
    const record = mapped(task)
    expect(record.candidates).toEqual([{ key: 'text', text: task.text, model: null }])
    expect(record.decisions).toEqual([
      expect.objectContaining({
        kind: 'edit',
        candidateKey: 'text',
        editedText: task.user_input,
        annotator: 'facts-carol',
        at: null,
      }),
    ])
  })

  it('keeps a verdict on a label as a note, not as a judgement of the text', () => {
    const record = mapped({
      text: 'I love it',
      label: 'POSITIVE',
      _input_hash: 1,
      _task_hash: 2,
      answer: 'reject',
    })
    expect(record.candidates).toEqual([])
    expect(record.decisions).toEqual([
      expect.objectContaining({ kind: 'note', note: 'Prodigy: reject label "POSITIVE"' }),
    ])
  })

  it('records several accepted options as a note rather than inventing one choice', () => {
    const record = mapped({ ...choiceTask, accept: ['A', 'B'] })
    expect(record.decisions).toEqual([
      expect.objectContaining({ kind: 'note', note: 'Prodigy: accepted options A, B' }),
    ])
  })

  it('imports a task that has no answer yet without decisions', () => {
    const { answer: _answer, accept: _accept, ...unanswered } = choiceTask
    expect(mapped(unanswered).decisions).toEqual([])
  })

  it.each([
    [{ ...choiceTask, answer: 'maybe' }, '"answer" is maybe, not accept, reject or ignore'],
    [{ ...choiceTask, accept: ['C'] }, '"accept" names option C, which is not in "options"'],
    [{ ...choiceTask, options: 'A,B' }, '"options" is A,B, not a list'],
    [{ ...choiceTask, options: [{ id: 'A' }] }, 'option 1 needs an "id" and a "text"'],
    [{ _input_hash: 1, answer: 'accept', html: '<b>x</b>' }, 'the task has no text in "text"'],
    [
      { input: { text: 'q' }, accept: { text: 'a' }, reject: { text: 'b' }, answer: 'accept' },
      'a Prodigy compare task (input with accept/reject outputs) cannot be imported yet',
    ],
  ])('refuses an unmappable task with a reason (%#)', (task, reason) => {
    const result = mapProdigyTask(task, 'text')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })
})
