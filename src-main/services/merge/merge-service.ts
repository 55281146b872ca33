// Merging another annotator's work: the decision events of another local copy of a project (restored from
// their backup, or imported from the same corpus) are unioned into this one by decision id, verbatim, so
// each annotator's hash chain still verifies here; then agreement over the samples both reviewed.
import { AppFailure } from '@shared/ipc/result'
import { decisionRecord, type DecisionRecord } from '@shared/domain/decision'
import { chainKey, decisionHash } from '@shared/domain/decision-chain'
import { agreementFigures, type AgreementFigures } from '@shared/domain/agreement'
import type { ProjectRegistry } from '../projects/project-registry'

export interface MergeCounts {
  /** Decisions appended to this project's log. */
  appended: number
  /** Decisions this project already had (by id): a second merge of the same log appends nothing. */
  alreadyPresent: number
  /** Decisions about samples this project does not have (and the rest of their chain after the first). */
  skippedUnknownSample: number
  /**
   * Decisions whose chain does not hold: broken in the source, or not continuing this project's copy of
   * that chain (and the rest of that chain after the first), so appending them would break verification.
   */
  skippedUnverified: number
}

export type MergeResult = MergeCounts & { agreement: AgreementFigures }

const DECISION_KIND: ReadonlySet<string> = new Set(['decision.recorded'])
/** Events per append: large enough to be quick, small enough that each write stays modest. */
const BATCH = 500

export class MergeService {
  constructor(private readonly registry: ProjectRegistry) {}

  async importFrom(projectId: string, fromProjectId: string): Promise<MergeResult> {
    if (projectId === fromProjectId)
      throw new AppFailure('invalid-payload', 'A project cannot be merged into itself.')
    const target = await this.registry.state(projectId)
    await this.registry.state(fromProjectId) // an unknown source fails here, before any reading
    const knownSamples = new Set((await this.registry.samples(projectId, null)).map((s) => s.id))

    const counts: MergeCounts = {
      appended: 0,
      alreadyPresent: 0,
      skippedUnknownSample: 0,
      skippedUnverified: 0,
    }
    /** Per chain, the hash the next decision must link to: this project's tip, advanced as we append. */
    const tips = new Map<string, string | null>()
    /** Per chain, the hash of the source's previous link (to check the source's own chain). */
    const sourceTips = new Map<string, string | null>()
    /** Chains cut at a refused decision: nothing after it can link, so the rest is refused the same way. */
    const cut = new Map<string, 'unknown-sample' | 'unverified'>()
    let batch: DecisionRecord[] = []
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return
      const inputs = batch.map((decision) => ({ kind: 'decision.recorded' as const, data: { decision } }))
      batch = []
      await this.registry.append(projectId, inputs)
    }

    for await (const event of this.registry.replayKinds(fromProjectId, DECISION_KIND)) {
      // The stored object as it is: re-parsing would drop fields a newer version hashed.
      const raw = (event.data as { decision?: unknown } | null)?.decision
      const parsed = decisionRecord.safeParse(raw)
      if (!parsed.success) {
        counts.skippedUnverified++
        continue
      }
      const decision = raw as DecisionRecord
      const key = chainKey(decision)
      const sourcePrev = sourceTips.has(key) ? sourceTips.get(key)! : null
      const holdsInSource = decision.prevHash === sourcePrev && decisionHash(decision) === decision.hash
      sourceTips.set(key, decision.hash)
      const wasCut = cut.get(key)
      if (wasCut !== undefined) {
        if (wasCut === 'unknown-sample') counts.skippedUnknownSample++
        else counts.skippedUnverified++
        continue
      }
      if (!holdsInSource) {
        cut.set(key, 'unverified')
        counts.skippedUnverified++
        continue
      }
      if (target.decisionIds.has(decision.id)) {
        counts.alreadyPresent++
        continue
      }
      if (!knownSamples.has(decision.sampleId)) {
        cut.set(key, 'unknown-sample')
        counts.skippedUnknownSample++
        continue
      }
      const tip = tips.has(key) ? tips.get(key)! : target.chainTips.tipOf(decision)
      if (decision.prevHash !== tip) {
        cut.set(key, 'unverified')
        counts.skippedUnverified++
        continue
      }
      tips.set(key, decision.hash)
      batch.push(decision)
      counts.appended++
      if (batch.length >= BATCH) await flush()
    }
    await flush()
    return { ...counts, agreement: await this.agreement(projectId) }
  }

  /** Agreement over the project's decisions, every annotator's, as main holds them. */
  async agreement(projectId: string): Promise<AgreementFigures> {
    const state = await this.registry.state(projectId)
    return agreementFigures(state.decisionsBySample)
  }
}
