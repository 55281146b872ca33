// Agreement figures against values computed by hand from textbook examples, the labels read from each
// annotator's own decisions (undo included), and the undefined cases reported as null rather than NaN.
import { describe, expect, it } from 'vitest'
import type { DecisionRecord, UnsealedDecision } from '@shared/domain/decision'
import { ChainTips } from '@shared/domain/decision-chain'
import { agreementFigures, cohensKappa, krippendorffAlphaNominal, labelOf } from '@shared/domain/agreement'
import { atOf, makeDecision } from '../../factories/decisions'

/**
 * Cohen's kappa, 2×2, 50 items (the Wikipedia example):
 *               B yes   B no
 *   A yes        20       5     (A yes 25)
 *   A no         10      15     (A no 25)
 *               (30)    (20)
 * po = (20 + 15) / 50 = 0.7; pe = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
 */
const wikipediaPairs: [string, string][] = [
  ...Array.from({ length: 20 }, (): [string, string] => ['yes', 'yes']),
  ...Array.from({ length: 5 }, (): [string, string] => ['yes', 'no']),
  ...Array.from({ length: 10 }, (): [string, string] => ['no', 'yes']),
  ...Array.from({ length: 15 }, (): [string, string] => ['no', 'no']),
]

describe("Cohen's kappa", () => {
  it('matches the hand-computed 2×2 example', () => {
    expect(cohensKappa(wikipediaPairs)).toBeCloseTo(0.4, 12)
  })

  it('is 1 for perfect agreement over two or more categories', () => {
    expect(
      cohensKappa([
        ['a', 'a'],
        ['b', 'b'],
        ['a', 'a'],
      ]),
    ).toBe(1)
  })

  it('is undefined (null) with no items, or when both raters used one category throughout', () => {
    expect(cohensKappa([])).toBeNull()
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull()
  })

  it('is 0 at chance level and negative below it', () => {
    // po = 0.5, pe = 0.5·0.5 + 0.5·0.5 = 0.5 → κ = 0.
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(0)
    // po = 0, pe = 0.5 → κ = −1.
    expect(
      cohensKappa([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toBe(-1)
  })
})

describe("Krippendorff's alpha (nominal)", () => {
  it("matches Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability', nominal, with missing data", () => {
    // Four observers, twelve units; '.' is a missing value. Unit 12 has one value and is not pairable.
    const observers = [
      '1 2 3 3 2 1 4 1 2 . . .',
      '1 2 3 3 2 2 4 1 2 5 . 3',
      '. 3 3 3 2 3 4 2 2 5 1 .',
      '1 2 3 3 2 4 4 1 2 5 1 .',
    ].map((row) => row.split(' '))
    const units = Array.from({ length: 12 }, (_, u) =>
      observers.map((row) => row[u]!).filter((v) => v !== '.'),
    )
    // By hand (the paper's coincidence matrix): n = 40; n_1..n_5 = 9, 13, 10, 5, 3;
    // Σ_{c≠k} o_ck = 40 − (7 + 10 + 8 + 4 + 3) = 8 (the diagonal is 32 of 40);
    // Σ_{c≠k} n_c n_k = 40² − (81 + 169 + 100 + 25 + 9) = 1216; α = 1 − 39·8 / 1216 = 0.7434.
    expect(krippendorffAlphaNominal(units)).toBeCloseTo(1 - (39 * 8) / 1216, 12)
    expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.743, 3)
  })

  it('equals 0.4 on the 2×2 kappa example (no missing data)', () => {
    // n = 100 values: yes 55, no 45. Each of the 15 disagreeing units adds 2 ordered off-diagonal pairs / (2 − 1):
    // Σ_{c≠k} o_ck = 30; Σ_{c≠k} n_c n_k = 2·55·45 = 4950; α = 1 − 99·30 / 4950 = 1 − 0.6 = 0.4.
    expect(krippendorffAlphaNominal(wikipediaPairs)).toBeCloseTo(0.4, 12)
  })

  it('is 1 for perfect agreement, and null when undefined', () => {
    expect(krippendorffAlphaNominal([['a', 'a'], ['b', 'b', 'b'], ['c']])).toBe(1)
    // One category only: no expected disagreement.
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['a', 'a', 'a'],
      ]),
    ).toBeNull()
    // Nothing pairable.
    expect(krippendorffAlphaNominal([['a'], ['b'], []])).toBeNull()
    expect(krippendorffAlphaNominal([])).toBeNull()
  })
})

describe('agreement over decisions', () => {
  let n = 0
  const tips = new ChainTips()
  const decide = (
    annotator: string,
    sampleId: string,
    kind: UnsealedDecision['kind'],
    overrides: Partial<UnsealedDecision> = {},
  ): DecisionRecord =>
    tips.next(makeDecision(kind, { annotator, sampleId, at: atOf(1000 + ++n), ...overrides }))

  it('labels each annotator by their own current status; skip and unreviewed are missing', () => {
    const sel = decide('alice', 's1', 'select', { candidateId: 'c2' })
    expect(labelOf([sel])).toBe('select:c2')
    expect(labelOf([sel, decide('alice', 's1', 'undo', { undoes: sel.id })])).toBeNull()
    expect(labelOf([decide('alice', 's1', 'edit')])).toBe('edit')
    expect(labelOf([decide('alice', 's1', 'reject-all')])).toBe('reject-all')
    expect(labelOf([decide('alice', 's1', 'skip')])).toBeNull()
    expect(labelOf([decide('alice', 's1', 'flag')])).toBeNull()
  })

  it('gives counts, kappa, alpha and the disagreement queue for two annotators', () => {
    const bySample = new Map<string, DecisionRecord[]>()
    const add = (d: DecisionRecord): void => {
      bySample.set(d.sampleId, [...(bySample.get(d.sampleId) ?? []), d])
    }
    // s1: both select c1 · s2: both reject · s3: c1 vs c2 · s4: edit vs edit · s5: alice only · s6: bob skips.
    add(decide('alice', 's1', 'select', { candidateId: 'c1' }))
    add(decide('bob', 's1', 'select', { candidateId: 'c1' }))
    add(decide('alice', 's2', 'reject-all'))
    add(decide('bob', 's2', 'reject-all'))
    add(decide('alice', 's3', 'select', { candidateId: 'c1' }))
    add(decide('bob', 's3', 'select', { candidateId: 'c2' }))
    add(decide('alice', 's4', 'edit'))
    add(decide('bob', 's4', 'edit'))
    add(decide('alice', 's5', 'select', { candidateId: 'c3' }))
    add(decide('alice', 's6', 'select', { candidateId: 'c1' }))
    add(decide('bob', 's6', 'skip'))
    const figures = agreementFigures(bySample)
    // Pairs (alice, bob): (c1,c1) (rej,rej) (c1,c2) (edit,edit); po = 3/4.
    // alice: c1 2, rej 1, edit 1; bob: c1 1, c2 1, rej 1, edit 1 (each /4).
    // pe = (2·1 + 1·1 + 1·1) / 16 = 4/16 = 0.25; κ = (0.75 − 0.25) / 0.75 = 2/3.
    // α: pairable units s1–s4, n = 8; n_c1 = 3, n_c2 = 1, n_rej = 2, n_edit = 2;
    // Σ_{c≠k} o_ck = 2 (s3); Σ_{c≠k} n_c n_k = 64 − (9 + 1 + 4 + 4) = 46; α = 1 − 7·2/46 = 16/23.
    expect(figures).toEqual({
      annotators: ['alice', 'bob'],
      labelledSamples: 6,
      overlappingSamples: 4,
      agreeingSamples: 3,
      percentAgreement: 0.75,
      cohensKappa: expect.closeTo(2 / 3, 12) as number,
      krippendorffAlpha: expect.closeTo(16 / 23, 12) as number,
      disagreements: ['s3'],
    })
  })

  it('reports no kappa for three annotators, and nulls with no overlap', () => {
    const three = new Map([
      ['s1', [decide('a', 's1', 'reject-all'), decide('b', 's1', 'reject-all'), decide('c', 's1', 'skip')]],
      ['s2', [decide('a', 's2', 'select', { candidateId: 'c1' }), decide('c', 's2', 'reject-all')]],
    ])
    expect(agreementFigures(three)).toMatchObject({
      annotators: ['a', 'b', 'c'],
      overlappingSamples: 2,
      agreeingSamples: 1,
      cohensKappa: null,
      // n = 4: rej 3, c1 1; off-diagonal o = 2 (s2); Σ n_c n_k = 16 − 10 = 6; α = 1 − 3·2/6 = 0.
      krippendorffAlpha: 0,
      disagreements: ['s2'],
    })
    expect(agreementFigures(new Map([['s1', [decide('a', 's1', 'skip')]]]))).toMatchObject({
      labelledSamples: 0,
      percentAgreement: null,
      cohensKappa: null,
      krippendorffAlpha: null,
      disagreements: [],
    })
  })
})
