// The dataset builder's pipeline for an export that streams: records arrive one at a time and go on to be
// written at once; the selection keeps each item that passed the filter without its text (a fingerprint
// instead, see fingerprint.ts) and decides at the end which of them stay: probe guard → dedup → mix policy →
// split. An item's split is known when it arrives (a seeded hash of its sample, or test for a probe offender
// under an override), so it can be written into its split's file straight away; what finish() drops is
// removed from the files afterwards. selectDataset is this same stream run over an array.
import type { DatasetSpec } from './dataset-spec'
import { dedupItems } from './dedup'
import { filterReason } from './filter'
import { fingerprintOf } from './fingerprint'
import type { SelectionInput, SelectionItem } from './items'
import { itemsOf } from './items'
import { applyMixPolicy } from './mix-policy'
import { previewOf, type SelectionPreview } from './preview'
import { overrideWarning, protectedTextHash, type ProbeOffender, type ProtectedSets } from './probe-guard'
import { isTestSample, splitItems } from './split'

export type DroppedGroup = { reason: string; ids: string[] }

export type Selection = {
  train: SelectionItem[]
  test: SelectionItem[]
  dropped: DroppedGroup[]
  warnings: string[]
  /** The probe or reference offenders let into the test split by an override; empty otherwise. */
  overridden: ProbeOffender[]
  preview: SelectionPreview
}

export type SelectionOutcome =
  | { ok: true; selection: Selection }
  | { ok: false; error: { kind: 'probe-or-reference'; offenders: ProbeOffender[] } }

/** An item that passed the filter, whole, with the split it belongs to. */
export type PassedItem = { item: SelectionItem; split: 'train' | 'test' }

export class SelectionStream {
  readonly #spec: DatasetSpec
  readonly #protectedIds: ReadonlySet<string>
  readonly #protectedHashes: ReadonlySet<string>
  readonly #sampleIds = new Set<string>()
  readonly #kept: SelectionItem[] = []
  readonly #dropped = new Map<string, string[]>()
  readonly #offenders: ProbeOffender[] = []

  constructor(spec: DatasetSpec, sets: ProtectedSets) {
    this.#spec = spec
    this.#protectedIds = new Set(sets.sampleIds)
    this.#protectedHashes = new Set(sets.textHashes)
  }

  /** Items the selection has seen so far that passed the filter. */
  get passedCount(): number {
    return this.#kept.length
  }

  add(input: SelectionInput): PassedItem[] {
    const { sampleId } = input.record
    if (this.#sampleIds.has(sampleId)) throw new Error(`selection: sample ${sampleId} given twice`)
    this.#sampleIds.add(sampleId)
    const { filter, mix, dedup, split } = this.#spec
    const passed: SelectionItem[] = []
    let isOffender = false
    for (const item of itemsOf(input)) {
      const reason = filterReason(item, filter, mix.accumulate)
      if (reason !== null) {
        this.#drop(reason, item.id)
        continue
      }
      const match = this.#probeMatch(item)
      if (match !== null) {
        this.#offenders.push({ itemId: item.id, sampleId, match })
        isOffender = true
      }
      const needsFingerprint = dedup.exact || dedup.nearDuplicate !== null
      const fingerprint = needsFingerprint
        ? fingerprintOf(item.text, dedup.nearDuplicate, split.seed)
        : undefined
      this.#kept.push({ ...item, text: '', ...(fingerprint === undefined ? {} : { fingerprint }) })
      passed.push(item)
    }
    const inSplit = isOffender || isTestSample(sampleId, split) ? 'test' : 'train'
    return passed.map((item) => ({ item, split: inSplit }))
  }

  /** The selection over everything added; its items carry no text (selectDataset puts them back). */
  finish(previewRows = 5): SelectionOutcome {
    const spec = this.#spec
    const offenders = this.#offenders
    const warnings: string[] = []
    const override = spec.probeOverride
    if (offenders.length > 0 && override?.allowed !== true)
      return { ok: false, error: { kind: 'probe-or-reference', offenders } }
    if (offenders.length > 0 && override !== null) warnings.push(overrideWarning(offenders, override.reason))

    const { seed } = spec.split
    const { accumulate } = spec.mix
    const deduped = dedupItems(this.#kept, spec.dedup, seed, accumulate)
    for (const duplicate of deduped.duplicates) this.#drop(`duplicate:${duplicate.kind}`, duplicate.itemId)
    const mixed = applyMixPolicy(deduped.kept, spec.mix, seed)
    for (const { itemId, reason } of mixed.dropped) this.#drop(`mix:${reason}`, itemId)

    const forcedTest = new Set(offenders.map((offender) => offender.sampleId))
    const { train, test } = splitItems(mixed.kept, spec.split, forcedTest)

    const humanDrops = [...this.#dropped.values()].flat().filter((id) => id.startsWith('human-original:'))
    if (!accumulate && humanDrops.length > 0)
      warnings.push(
        `accumulate is off and ${humanDrops.length} human original(s) are left out: ` +
          'replacing real data with synthetic data is the regime that collapses',
      )
    return {
      ok: true,
      selection: {
        train,
        test,
        dropped: [...this.#dropped.entries()]
          .map(([reason, ids]) => ({ reason, ids: ids.sort() }))
          .sort((a, b) => (a.reason < b.reason ? -1 : 1)),
        warnings,
        overridden: offenders,
        preview: previewOf(train, test, seed, previewRows),
      },
    }
  }

  #probeMatch(item: SelectionItem): ProbeOffender['match'] | null {
    if (this.#protectedIds.has(item.sampleId)) return 'sample-id'
    if (this.#protectedHashes.size > 0 && this.#protectedHashes.has(protectedTextHash(item.text)))
      return 'text'
    return null
  }

  #drop(reason: string, id: string): void {
    const ids = this.#dropped.get(reason)
    if (ids === undefined) this.#dropped.set(reason, [id])
    else ids.push(id)
  }
}
