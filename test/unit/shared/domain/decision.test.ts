// The decision schema refuses combinations that mean nothing, so a stored decision has one reading only.
import { describe, expect, it } from 'vitest'
import { decisionKinds, decisionRecord, flagReasons, unsealedDecision } from '@shared/domain/decision'
import type { UnsealedDecision } from '@shared/domain/decision'
import { sealDecision } from '@shared/domain/decision-chain'
import { makeDecision } from '../../../factories/decisions'

/** The paths of the issues the schema reports, or [] when it accepts the decision. */
function issuesOf(d: UnsealedDecision): string[] {
  const result = unsealedDecision.safeParse(d)
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'))
}

describe('decision schema', () => {
  it.each(decisionKinds)('accepts a valid %s, sealed or not', (kind) => {
    const d = makeDecision(kind)
    expect(issuesOf(d)).toEqual([])
    expect(decisionRecord.parse(sealDecision(d, null))).toEqual(sealDecision(d, null))
  })

  it('accepts an edit without a diff, a note about one candidate and flags with note and correction', () => {
    expect(issuesOf(makeDecision('edit', { diff: null }))).toEqual([])
    expect(issuesOf(makeDecision('note', { candidateId: 'c3' }))).toEqual([])
    const flag = { reason: 'other', note: 'Odd register.', correction: 'A plainer sentence.' }
    expect(issuesOf(makeDecision('flag', { flag }))).toEqual([])
  })

  it('has ten default flag reasons with unique kebab-case ids', () => {
    expect(flagReasons).toHaveLength(10)
    expect(new Set(flagReasons.map((r) => r.id)).size).toBe(10)
    for (const reason of flagReasons) expect(reason.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  const invalid: [string, UnsealedDecision, string][] = [
    ['select without a candidate', makeDecision('select', { candidateId: null }), 'candidateId'],
    ['edit without text', makeDecision('edit', { editedText: null, diff: null }), 'editedText'],
    ['edit without a candidate', makeDecision('edit', { candidateId: null }), 'candidateId'],
    ['flag without a flag', makeDecision('flag', { flag: null }), 'flag'],
    ['flag without a candidate', makeDecision('flag', { candidateId: null }), 'candidateId'],
    ['undo without a target', makeDecision('undo', { undoes: null }), 'undoes'],
    ['note without text', makeDecision('note', { note: null }), 'note'],
    ['note of blanks', makeDecision('note', { note: ' \n\t' }), 'note'],
    ['select carrying edited text', makeDecision('select', { editedText: 'x' }), 'editedText'],
    ['reject-all naming a candidate', makeDecision('reject-all', { candidateId: 'c1' }), 'candidateId'],
    ['skip carrying a note', makeDecision('skip', { note: 'later' }), 'note'],
    ['select carrying a diff', makeDecision('select', { diff: [{ op: 'equal', text: 'x' }] }), 'diff'],
    ['undo naming a candidate', makeDecision('undo', { candidateId: 'c1' }), 'candidateId'],
    ['flag carrying an undo target', makeDecision('flag', { undoes: makeDecision('skip').id }), 'undoes'],
    ['a candidate that was not shown', makeDecision('select', { candidateId: 'c9' }), 'candidateId'],
    ['a candidate shown twice', makeDecision('skip', { shownOrder: ['c1', 'c2', 'c1'] }), 'shownOrder'],
    ['a diff that does not produce the text', makeDecision('edit', { editedText: 'Other.' }), 'diff'],
    [
      'a flag reason that is not an id',
      makeDecision('flag', { flag: flagWith('Factual error') }),
      'flag.reason',
    ],
    ['an id that is not a UUIDv7', makeDecision('skip', { id: 'd-1' }), 'id'],
    ['a time that is not ISO', makeDecision('skip', { at: 'yesterday' }), 'at'],
    ['negative time spent', makeDecision('skip', { timeSpentMs: -1 }), 'timeSpentMs'],
    ['an unknown kind', { ...makeDecision('skip'), kind: 'approve' as 'skip' }, 'kind'],
  ]

  it.each(invalid)('refuses %s', (_name, d, path) => {
    expect(issuesOf(d)).toContain(path)
  })

  it('refuses an undo of itself', () => {
    const d = makeDecision('undo')
    expect(issuesOf({ ...d, undoes: d.id })).toEqual(['undoes'])
  })

  it('refuses a sealed decision whose hashes are not SHA-256 hex', () => {
    const sealed = sealDecision(makeDecision('skip'), null)
    expect(decisionRecord.safeParse({ ...sealed, hash: 'abc' }).success).toBe(false)
    expect(decisionRecord.safeParse({ ...sealed, prevHash: sealed.hash.toUpperCase() }).success).toBe(false)
    expect(decisionRecord.safeParse({ ...sealed, candidateId: 'c1' }).success).toBe(false)
  })
})

function flagWith(reason: string): UnsealedDecision['flag'] {
  return { reason, note: null, correction: null }
}
