// The dataset builder's pipeline for an export that streams: records arrive one at a time and go on to be
// written at once; the selection keeps each item that passed the filter as a row of an ItemTable (numbers and
// a fingerprint, not the text) and decides at the end which rows stay: probe guard → dedup → mix policy →
// split. A row's split is known when it arrives (a seeded hash of its sample, or test for a probe offender
// under an override), so it can be written into its split's file straight away; what finish() drops is
// removed from the files afterwards. selectDataset is this same stream run over an array.
import type { DatasetSpec } from './dataset-spec'
import { dedupRows } from './dedup'
import { filterReason } from './filter'
import { fingerprintOf } from './fingerprint'
import { ItemTable } from './item-table'
import type { SelectionInput, SelectionItem } from './items'
import { itemsOf, negativeOf } from './items'
import { mixRows } from './mix-policy'
import { previewRows, type SelectionPreview } from './preview'
import { overrideWarning, protectedTextHash, type ProbeOffender, type ProtectedSets } from './probe-guard'
import { isTestSample } from './split'

export type DroppedGroup = { reason: string; ids: string[] }

/** The sample ids whose negatives are exported, per split (see items.ts: never rows of the item table). */
export type NegativeSamples = { train: string[]; test: string[] }

/** A selection as item objects (selectDataset's answer). */
export type Selection = {
  train: SelectionItem[]
  test: SelectionItem[]
  negatives: NegativeSamples
  dropped: DroppedGroup[]
  warnings: string[]
  /** The probe or reference offenders let into the test split by an override; empty otherwise. */
  overridden: ProbeOffender[]
  preview: SelectionPreview
}

export type SelectionOutcome =
  | { ok: true; selection: Selection }
  | { ok: false; error: { kind: 'probe-or-reference'; offenders: ProbeOffender[] } }

/** A streamed selection: which rows stay, the sample ids of each split, drops, warnings and the preview. */
export type StreamedSelection = {
  table: ItemTable
  /** 1 for each row (as add() numbered it) that is exported. */
  isKept: Uint8Array
  /** Rows kept in each split, in item id order. */
  train: number[]
  test: number[]
  /** Each split's sample ids, once each, in item id order (negatives' last): the snapshot's splits. */
  splits: { train: string[]; test: string[] }
  negatives: NegativeSamples
  dropped: DroppedGroup[]
  warnings: string[]
  overridden: ProbeOffender[]
  /** Its sample rows are light items without text. */
  preview: SelectionPreview
}

export type StreamOutcome =
  | { ok: true; selection: StreamedSelection }
  | { ok: false; error: { kind: 'probe-or-reference'; offenders: ProbeOffender[] } }

/** An item that passed the filter, whole, with its row and the split it belongs to. */
export type PassedItem = { item: SelectionItem; row: number; split: 'train' | 'test' }

/** Why a human original that accumulate would keep is left out: it is a probe or reference text. */
export const PROTECTED_DROP = 'protected:probe-or-reference'

/** The row of a negative: it is not in the item table, and nothing that finish() decides drops it. */
export const NEGATIVE_ROW = -1

export class SelectionStream {
  readonly #spec: DatasetSpec
  readonly #protectedIds: ReadonlySet<string>
  readonly #protectedHashes: ReadonlySet<string>
  readonly #sampleIds = new Set<string>()
  readonly #table: ItemTable
  readonly #dropped = new Map<string, string[]>()
  readonly #offenders: ProbeOffender[] = []
  readonly #negatives: NegativeSamples = { train: [], test: [] }

  constructor(spec: DatasetSpec, sets: ProtectedSets) {
    this.#spec = spec
    this.#protectedIds = new Set(sets.sampleIds)
    this.#protectedHashes = new Set(sets.textHashes)
    this.#table = new ItemTable(spec.dedup.nearDuplicate?.numPerm ?? 0)
  }

  add(input: SelectionInput): PassedItem[] {
    const { sampleId } = input.record
    if (this.#sampleIds.has(sampleId)) throw new Error(`selection: sample ${sampleId} given twice`)
    this.#sampleIds.add(sampleId)
    const { filter, mix, dedup, split } = this.#spec
    const passed: SelectionItem[] = []
    let isOffender = false
    const negative = negativeOf(input)
    for (const item of negative === null ? itemsOf(input) : [...itemsOf(input), negative]) {
      const reason = filterReason(item, filter, mix.accumulate)
      if (reason !== null) {
        this.#drop(reason, item.id)
        continue
      }
      const match = this.#probeMatch(item)
      if (match !== null && item.kind === 'human-original' && mix.accumulate && !this.#isOverridden) {
        // Accumulate brings in every human original; the frozen probe and reference texts are not the
        // person's choice of training data, so they are left out (and reported) rather than refusing every
        // export once the monitor's sets exist. What the person curated from such a sample still refuses.
        this.#drop(PROTECTED_DROP, item.id)
        continue
      }
      if (match !== null) {
        this.#offenders.push({ itemId: item.id, sampleId, match })
        isOffender = true
      }
      passed.push(item)
    }
    if (passed.length === 0) return []
    const inSplit = isOffender || isTestSample(sampleId, split) ? 'test' : 'train'
    const isTabled = passed.some((item) => item.kind !== 'negative')
    const sample = isTabled ? this.#table.addSample(sampleId) : -1
    const needsFingerprint = dedup.exact || dedup.nearDuplicate !== null
    return passed.map((item) => {
      if (item.kind === 'negative') {
        this.#negatives[inSplit].push(sampleId)
        return { item, row: NEGATIVE_ROW, split: inSplit }
      }
      const fingerprint = needsFingerprint ? fingerprintOf(item.text, dedup.nearDuplicate, split.seed) : null
      const row = this.#table.add(item, sample, fingerprint, inSplit === 'test')
      return { item, row, split: inSplit }
    })
  }

  finish(previewCount = 5): StreamOutcome {
    const spec = this.#spec
    const table = this.#table
    const offenders = this.#offenders
    const warnings: string[] = []
    const override = spec.probeOverride
    if (offenders.length > 0 && override?.allowed !== true)
      return { ok: false, error: { kind: 'probe-or-reference', offenders } }
    if (offenders.length > 0 && override !== null) warnings.push(overrideWarning(offenders, override.reason))

    const { seed } = spec.split
    const { accumulate } = spec.mix
    const all = Array.from({ length: table.count }, (_, row) => row)
    const deduped = dedupRows(table, all, spec.dedup, accumulate)
    for (const { row, kind } of deduped.duplicates) this.#drop(`duplicate:${kind}`, table.itemId(row))
    const mixed = mixRows(table, deduped.kept, spec.mix, seed)
    for (const { row, reason } of mixed.dropped) this.#drop(`mix:${reason}`, table.itemId(row))

    const isKept = new Uint8Array(table.count)
    const train: number[] = []
    const test: number[] = []
    for (const row of mixed.kept) {
      isKept[row] = 1
      ;(table.isTest(row) ? test : train).push(row)
    }
    const byId = (a: number, b: number): number => table.compareIds(a, b)
    train.sort(byId)
    test.sort(byId)
    const negatives = {
      train: [...this.#negatives.train].sort(),
      test: [...this.#negatives.test].sort(),
    }
    const sampleIds = (rows: readonly number[], negativeIds: readonly string[]): string[] => [
      ...new Set([...rows.map((row) => table.sampleId(row)), ...negativeIds]),
    ]

    const humanDrops = [...this.#dropped.values()].flat().filter((id) => id.startsWith('human-original:'))
    if (!accumulate && humanDrops.length > 0)
      warnings.push(
        `accumulate is off and ${humanDrops.length} human original(s) are left out: ` +
          'replacing real data with synthetic data is the regime that collapses',
      )
    return {
      ok: true,
      selection: {
        table,
        isKept,
        train,
        test,
        splits: { train: sampleIds(train, negatives.train), test: sampleIds(test, negatives.test) },
        negatives,
        dropped: [...this.#dropped.entries()]
          .map(([reason, ids]) => ({ reason, ids: ids.sort() }))
          .sort((a, b) => (a.reason < b.reason ? -1 : 1)),
        warnings,
        overridden: offenders,
        preview: previewRows(table, train, test, seed, previewCount, {
          train: negatives.train.length,
          test: negatives.test.length,
        }),
      },
    }
  }

  get #isOverridden(): boolean {
    return this.#spec.probeOverride?.allowed === true
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
