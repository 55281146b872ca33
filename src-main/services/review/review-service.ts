// Review decisions: each one sealed onto its annotator's hash chain, appended to the project log and flushed
// at once (a person is waiting on it), and only then acknowledged. One project's decisions are sealed and
// appended one at a time, so two quick key presses can never be sealed onto the same chain tip.
import { AppFailure } from '@shared/ipc/result'
import type { DecisionRecord, UnsealedDecision } from '@shared/domain/decision'
import { verifyChains, type ChainVerdict } from '@shared/domain/decision-chain'
import { isInOrderForAnnotator, isUndoable } from '@shared/domain/review-state'
import type { ProjectRegistry } from '../projects/project-registry'
import { acksBeforeFlush, deferredFlushMs } from '../../faults/ack-before-flush'

export interface Decided {
  decision: DecisionRecord
  /** The log position of the decision's event: the store has it once its projection reaches this seq. */
  seq: number
}

const DECISION_KIND: ReadonlySet<string> = new Set(['decision.recorded'])

export class ReviewService {
  readonly #queues = new Map<string, Promise<unknown>>()
  /** Where each decision landed, so a retried call (same id) is answered without recording it twice. */
  readonly #seqById = new Map<string, number>()

  constructor(private readonly registry: ProjectRegistry) {}

  decide(projectId: string, unsealed: UnsealedDecision): Promise<Decided> {
    if (acksBeforeFlush()) {
      // Test-only broken build (faults/ack-before-flush.ts): answer once sealed, append a window later.
      return new Promise((resolve, reject) => {
        this.#serial(projectId, () => this.#record(projectId, unsealed, resolve)).then(resolve, reject)
      })
    }
    return this.#serial(projectId, () => this.#record(projectId, unsealed))
  }

  /** Walks every decision chain of the project in log order, checking each decision as it was written. */
  async verify(projectId: string): Promise<ChainVerdict> {
    const written: DecisionRecord[] = []
    // The stored objects as they are, not re-parsed through this version's schema: a field added by a
    // newer Winnow is part of what was hashed and must stay in what is checked.
    for await (const event of this.registry.replayKinds(projectId, DECISION_KIND)) {
      const decision = (event.data as { decision?: unknown } | null)?.decision
      if (decision && typeof decision === 'object') written.push(decision as DecisionRecord)
    }
    return verifyChains(written)
  }

  async #record(
    projectId: string,
    unsealed: UnsealedDecision,
    ackEarly?: (decided: Decided) => void,
  ): Promise<Decided> {
    if (unsealed.projectId !== projectId)
      throw new AppFailure('invalid-payload', 'The decision belongs to another project.')
    const state = await this.registry.state(projectId)
    if (state.decisionIds.has(unsealed.id)) {
      const recorded = state.decisionsBySample.get(unsealed.sampleId)?.find((d) => d.id === unsealed.id)
      if (recorded) return { decision: recorded, seq: this.#seqById.get(unsealed.id) ?? state.lastSeq }
      throw new AppFailure('conflict', 'A decision with this id was recorded for another sample.')
    }
    const decisions = state.decisionsBySample.get(unsealed.sampleId) ?? []
    // Review state reads decisions by time (review-state.ts): one stamped before this person's last one on
    // the sample would be read as having come first.
    if (!isInOrderForAnnotator(decisions, unsealed))
      throw new AppFailure(
        'conflict',
        "The decision is dated before this annotator's last one on this sample: is the clock right?",
      )
    if (unsealed.kind === 'undo') {
      if (unsealed.undoes === null || !isUndoable(decisions, unsealed.undoes, unsealed.annotator))
        throw new AppFailure(
          'conflict',
          "Nothing to undo: that decision is not this annotator's, or not in effect on this sample.",
        )
    }
    const decision = state.chainTips.seal(unsealed)
    if (ackEarly !== undefined) {
      // The fault: the caller hears "recorded" (at a seq the store already has) while nothing is on disk.
      ackEarly({ decision, seq: state.lastSeq })
      await new Promise((done) => setTimeout(done, deferredFlushMs))
    }
    const [event] = await this.registry.append(
      projectId,
      [{ kind: 'decision.recorded', data: { decision } }],
      { urgent: true, inline: true },
    )
    const seq = event?.seq ?? state.lastSeq
    this.#seqById.set(decision.id, seq)
    return { decision, seq }
  }

  async #serial<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(projectId) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.catch(() => undefined)
    this.#queues.set(projectId, settled)
    try {
      return await next
    } finally {
      if (this.#queues.get(projectId) === settled) this.#queues.delete(projectId)
    }
  }
}
