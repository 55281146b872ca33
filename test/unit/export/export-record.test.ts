// The record builder: complete candidates only, final text from the selection or the edit, negatives worst
// first, and a loud failure when the chosen candidate is not exportable.
import { describe, expect, it } from 'vitest'
import { buildExportRecord, exportRecord } from '@shared/export/export-record'
import { candidate, fixtureRecords, reviewOf, sample } from './fixture-project'

describe('buildExportRecord', () => {
  it('resolves final texts and negatives from the reduced review', () => {
    const [selected, edited, rejected, skipped] = fixtureRecords
    expect(selected?.candidates.map((c) => c.id)).toStrictEqual(['c1a', 'c1b'])
    expect(selected?.review).toMatchObject({
      status: 'selected',
      finalText: 'A cat was sitting on the mat.',
      negativeIds: ['c1b'],
    })
    expect(edited?.review).toMatchObject({
      status: 'edited',
      finalText: 'Paris is the capital city of France.',
      negativeIds: ['c2b', 'c2c'],
    })
    expect(rejected?.review).toMatchObject({
      status: 'rejected',
      finalText: null,
      negativeIds: ['c3a', 'c3b'],
    })
    expect(skipped?.review).toMatchObject({ status: 'skipped', finalText: null, negativeIds: [] })
    for (const record of fixtureRecords) expect(exportRecord.parse(record)).toStrictEqual(record)
  })

  it('counts the chosen candidate as a negative only when it was flagged and then edited', () => {
    const flag = { reason: 'style-tic', note: null, correction: null }
    const review = reviewOf(
      's9',
      ['a', 'b'],
      [
        ['flag', { candidateId: 'a', flag }],
        ['edit', { candidateId: 'a', editedText: 'Fixed.', diff: null }],
      ],
    )
    const record = buildExportRecord(
      sample('s9', 'x', 'human', 9),
      [candidate('a', 's9', 'Broken.'), candidate('b', 's9', 'Fixed.')],
      review,
    )
    // b equals the final text, so it cannot be the rejected side of a pair.
    expect(record.review.negativeIds).toStrictEqual(['a'])
  })

  it('throws when the chosen candidate is partial', () => {
    const review = reviewOf('s8', ['p'], [['select', { candidateId: 'p' }]])
    const partial = candidate('p', 's8', 'Half', { status: 'partial' })
    expect(() => buildExportRecord(sample('s8', 'x', 'human', 8), [partial], review)).toThrow(
      /not a complete candidate/,
    )
  })
})
