// The decision chain: sealing is SHA-256 over canonical JSON, chains are per project and annotator, and
// every kind of tampering is named at the first decision where a link no longer holds.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '@shared/domain/canonical-json'
import type { DecisionRecord, UnsealedDecision } from '@shared/domain/decision'
import { decisionRecord } from '@shared/domain/decision'
import { ChainTips, chainKey, decisionHash, sealDecision, verifyChains } from '@shared/domain/decision-chain'
import type { ChainBreakReason } from '@shared/domain/decision-chain'
import { makeDecision } from '../../../factories/decisions'

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** Four chains interleaved in one log: alice and bob, each in p1 and p2. */
const chainOrder: [project: string, annotator: string][] = [
  ['p1', 'alice'], // 0
  ['p1', 'bob'], // 1
  ['p2', 'alice'], // 2
  ['p1', 'alice'], // 3
  ['p1', 'bob'], // 4
  ['p1', 'alice'], // 5
  ['p2', 'bob'], // 6
  ['p2', 'alice'], // 7
  ['p1', 'alice'], // 8
]

function interleavedLog(): DecisionRecord[] {
  const tips = new ChainTips()
  const kinds = ['select', 'flag', 'note', 'edit', 'skip', 'reject-all', 'select', 'note', 'skip'] as const
  return chainOrder.map(([projectId, annotator], i) =>
    tips.next(makeDecision(kinds[i]!, { projectId, annotator, sampleId: `s${i % 3}` })),
  )
}

function unsealed(record: DecisionRecord): UnsealedDecision {
  const { prevHash: _prevHash, hash: _hash, ...rest } = record
  return rest
}

function expectBreak(
  log: DecisionRecord[],
  index: number,
  decisionId: string,
  reason: ChainBreakReason,
): void {
  const verdict = verifyChains(log)
  expect(verdict).toEqual({
    ok: false,
    decisions: index,
    broken: {
      decisionId,
      index,
      chain: { projectId: log[index]!.projectId, annotator: log[index]!.annotator },
      reason,
    },
  })
}

describe('sealing', () => {
  it('hashes the canonical JSON of every field but hash, prevHash included', () => {
    const d = makeDecision('edit')
    const sealed = sealDecision(d, null)
    expect(sealed.prevHash).toBeNull()
    expect(sealed.hash).toBe(nodeSha256(canonicalJson({ ...d, prevHash: null })))
    expect(decisionHash(sealed)).toBe(sealed.hash)
    expect(decisionRecord.parse(sealed)).toEqual(sealed)

    const linked = sealDecision(d, sealed.hash)
    expect(linked.hash).toBe(nodeSha256(canonicalJson({ ...d, prevHash: sealed.hash })))
    expect(linked.hash).not.toBe(sealed.hash)
  })

  it('does not depend on the order the fields arrived in', () => {
    const d = makeDecision('flag')
    const reversed = Object.fromEntries(Object.entries(d).reverse()) as UnsealedDecision
    expect(sealDecision(reversed, null).hash).toBe(sealDecision(d, null).hash)
  })

  it('keys chains by project and annotator, unambiguously', () => {
    expect(chainKey({ projectId: 'p1', annotator: 'alice' })).not.toBe(
      chainKey({ projectId: 'p1a', annotator: 'lice' }),
    )
  })

  it('tracks one tip per chain; seal does not advance it, observe and next do', () => {
    const tips = new ChainTips()
    const alice = { projectId: 'p1', annotator: 'alice' }
    const first = tips.seal(makeDecision('select'))
    expect(tips.tipOf(alice)).toBeNull()
    tips.observe(first)
    expect(tips.tipOf(alice)).toBe(first.hash)
    const bobs = tips.next(makeDecision('skip', { annotator: 'bob' }))
    expect(bobs.prevHash).toBeNull()
    const second = tips.next(makeDecision('note'))
    expect(second.prevHash).toBe(first.hash)
    expect(tips.tipOf(alice)).toBe(second.hash)

    const replayed = new ChainTips()
    for (const d of [first, bobs, second]) replayed.observe(d)
    expect(replayed.tipOf(alice)).toBe(second.hash)
    expect(replayed.tipOf({ projectId: 'p1', annotator: 'bob' })).toBe(bobs.hash)
  })
})

describe('verifying', () => {
  it('accepts interleaved chains of two annotators in two projects', () => {
    const log = interleavedLog()
    expect(verifyChains(log)).toEqual({ ok: true, decisions: 9, chains: 4 })
    expect(log[3]!.prevHash).toBe(log[0]!.hash)
    expect(log[6]!.prevHash).toBeNull()
    expect(verifyChains([])).toEqual({ ok: true, decisions: 0, chains: 0 })
  })

  it('accepts decisions of different chains in another order: chains are independent', () => {
    const log = interleavedLog()
    ;[log[3], log[4]] = [log[4]!, log[3]!]
    expect(verifyChains(log)).toEqual({ ok: true, decisions: 9, chains: 4 })
  })

  it('names a decision edited in place as a hash mismatch', () => {
    const log = interleavedLog()
    log[3] = { ...log[3]!, timeSpentMs: 1 }
    expectBreak(log, 3, log[3].id, 'hash-mismatch')
  })

  it('names a replaced hash as a hash mismatch', () => {
    const log = interleavedLog()
    log[5] = { ...log[5]!, hash: log[4]!.hash }
    expectBreak(log, 5, log[5].id, 'hash-mismatch')
  })

  it('names the next link of the chain when an edited decision was re-hashed', () => {
    const log = interleavedLog()
    const target = log[3]!
    log[3] = sealDecision({ ...unsealed(target), editedText: 'Forged.', diff: null }, target.prevHash)
    // bob's decision at 4 is another chain and still holds; alice's next one (5) no longer links.
    expectBreak(log, 5, log[5]!.id, 'prev-hash-mismatch')
  })

  it('names the decision after a deleted one', () => {
    const log = interleavedLog()
    const after = log[5]!
    log.splice(3, 1)
    expectBreak(log, 4, after.id, 'prev-hash-mismatch')
  })

  it('names the new first decision when the first of a chain is deleted', () => {
    const log = interleavedLog()
    const second = log[3]!
    log.splice(0, 1)
    expectBreak(log, 2, second.id, 'first-has-prev-hash')
  })

  it('names the earlier position when two decisions of one chain are swapped', () => {
    const log = interleavedLog()
    const later = log[5]!
    ;[log[3], log[5]] = [later, log[3]!]
    expectBreak(log, 3, later.id, 'prev-hash-mismatch')
  })

  it('names a first decision that claims a predecessor, re-hashed or not', () => {
    const log = interleavedLog()
    const forged = sealDecision(unsealed(log[0]!), log[1]!.hash)
    expectBreak([forged, ...log.slice(1)], 0, forged.id, 'first-has-prev-hash')
    const unhashed = { ...log[0]!, prevHash: log[1]!.hash }
    expectBreak([unhashed, ...log.slice(1)], 0, unhashed.id, 'first-has-prev-hash')
  })

  it('cannot see a chain cut short at its end: the log head counts events for that', () => {
    const log = interleavedLog()
    expect(verifyChains(log.slice(0, 8))).toMatchObject({ ok: true, decisions: 8 })
  })
})
