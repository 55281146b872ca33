// The decision chain: each decision carries the hash of the one before it in its project and annotator's
// chain, and its own hash over everything else, so an edited, dropped or reordered decision is found by
// walking the log ("Verify provenance") and named by the first link that no longer holds.
import { canonicalJson } from './canonical-json'
import type { DecisionRecord, UnsealedDecision } from './decision'
import { sha256Hex } from './sha256'

export type ChainId = { projectId: string; annotator: string }
export type ChainBreakReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'first-has-prev-hash'
export type ChainBreak = { decisionId: string; index: number; chain: ChainId; reason: ChainBreakReason }
export type ChainVerdict =
  | { ok: true; decisions: number; chains: number }
  /** `decisions` counts the links that held before the broken one. */
  | { ok: false; decisions: number; broken: ChainBreak }

/**
 * SHA-256 of the canonical JSON of every field but `hash` (prevHash included: that is what chains them).
 * A full record may be passed; its `hash` is left out.
 */
export function decisionHash(record: Omit<DecisionRecord, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...hashed } = record
  return sha256Hex(canonicalJson(hashed))
}

export function sealDecision(unsealed: UnsealedDecision, prevHash: string | null): DecisionRecord {
  const linked = { ...unsealed, prevHash }
  return { ...linked, hash: decisionHash(linked) }
}

/** Chains are per project and annotator: two people, or one person in two projects, never share one. */
export const chainKey = (d: ChainId): string => `${d.projectId}\u0000${d.annotator}`

/** Walks the decisions in log order and names the first link that does not hold, if any. */
export function verifyChains(decisions: readonly DecisionRecord[]): ChainVerdict {
  const tips = new Map<string, string>()
  for (const [index, d] of decisions.entries()) {
    const key = chainKey(d)
    const expectedPrev = tips.get(key) ?? null
    // Linkage is checked before content so a dropped or reordered decision is named as such, and a record
    // edited in place (link intact, content not) as a hash mismatch.
    const reason: ChainBreakReason | null =
      expectedPrev === null && d.prevHash !== null
        ? 'first-has-prev-hash'
        : d.prevHash !== expectedPrev
          ? 'prev-hash-mismatch'
          : decisionHash(d) !== d.hash
            ? 'hash-mismatch'
            : null
    if (reason !== null) {
      const chain = { projectId: d.projectId, annotator: d.annotator }
      return { ok: false, decisions: index, broken: { decisionId: d.id, index, chain, reason } }
    }
    tips.set(key, d.hash)
  }
  return { ok: true, decisions: decisions.length, chains: tips.size }
}

/**
 * The last hash of each chain, so appends can be sealed one at a time. `seal` does not advance the tip:
 * a writer whose append can fail seals, appends, then `observe`s; `next` does both for callers that cannot
 * fail in between. Replaying a log is `observe` on each decision in order.
 */
export class ChainTips {
  readonly #tips = new Map<string, string>()

  tipOf(chain: ChainId): string | null {
    return this.#tips.get(chainKey(chain)) ?? null
  }

  seal(unsealed: UnsealedDecision): DecisionRecord {
    return sealDecision(unsealed, this.tipOf(unsealed))
  }

  observe(record: DecisionRecord): void {
    this.#tips.set(chainKey(record), record.hash)
  }

  next(unsealed: UnsealedDecision): DecisionRecord {
    const sealed = this.seal(unsealed)
    this.observe(sealed)
    return sealed
  }
}
