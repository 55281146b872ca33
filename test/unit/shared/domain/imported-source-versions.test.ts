// candidates.recorded v3 and decision.recorded v2 added an `imported` source (and, for candidates, engine
// 'import' with a temperature that may be unknown). Events written by earlier versions must still read
// unchanged, and an older reader's schema must not be the one that accepts the new ones.
import { describe, expect, it } from 'vitest'
import { logEventVersions, readLogEvent } from '@shared/domain/log-events'
import { sealDecision, decisionHash } from '@shared/domain/decision-chain'
import { makeCandidate } from '../../../factories/log-events'
import { makeDecision } from '../../../factories/decisions'

const event = (kind: string, v: number, data: unknown) => ({
  seq: 1,
  id: 'e1',
  v,
  kind,
  at: '2026-01-01T00:00:00.000Z',
  data,
})

describe('imported sources in the log', () => {
  it('stamps new events with the versions that carry them', () => {
    // v3 brought the imported source; v4 (stored-logprobs.test.ts) only changed how logprobs are written.
    expect(logEventVersions['candidates.recorded']).toBe(4)
    expect(logEventVersions['decision.recorded']).toBe(2)
  })

  it('reads a v3 candidate, its logprobs as column arrays, as it was written', () => {
    const candidate = makeCandidate('s1', {
      logprobs: { tokens: ['a'], logprobs: [-0.5], topTokens: [['a', 'b']], topLogprobs: [[-0.5, -1]] },
    })
    const typed = readLogEvent(event('candidates.recorded', 3, { candidates: [candidate] }))
    if (typed?.kind !== 'candidates.recorded') throw new Error('not read')
    expect(typed.data.candidates[0]).toEqual(candidate)
  })

  it('reads a v2 candidate (a generated one, no imported source) as it was written', () => {
    const candidate = makeCandidate('s1')
    const typed = readLogEvent(event('candidates.recorded', 2, { candidates: [candidate] }))
    if (typed?.kind !== 'candidates.recorded') throw new Error('not read')
    expect(typed.data.candidates[0]).toEqual(candidate)
    expect(typed.data.candidates[0]!.provenance.imported).toBeUndefined()
  })

  it('reads a v1 decision as it was written, and its hash still holds', () => {
    const decision = sealDecision(makeDecision('select', { candidateId: 'c1' }), null)
    const typed = readLogEvent(event('decision.recorded', 1, { decision }))
    if (typed?.kind !== 'decision.recorded') throw new Error('not read')
    expect(typed.data.decision).toEqual(decision)
    expect(decisionHash(typed.data.decision)).toBe(decision.hash)
  })

  it('hashes an imported decision’s source with it, so editing where it came from breaks the chain', () => {
    const imported = {
      tool: 'label-studio' as const,
      fileName: 'export.json',
      batchId: 'b1',
      line: 3,
      recordId: '1001',
      annotator: '10',
      at: '2024-03-09T22:17:10.100Z',
      model: null,
    }
    const decision = sealDecision(makeDecision('skip', { annotator: 'label-studio:10', imported }), null)
    const typed = readLogEvent(event('decision.recorded', 2, { decision }))
    if (typed?.kind !== 'decision.recorded') throw new Error('not read')
    expect(typed.data.decision.imported).toEqual(imported)
    const moved = { ...decision, imported: { ...imported, annotator: '11' } }
    expect(decisionHash(moved)).not.toBe(decision.hash)
  })
})
