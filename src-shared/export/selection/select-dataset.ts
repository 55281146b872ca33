// The dataset builder's pipeline: records → items → filter → probe guard → dedup → mix policy → split, with
// every drop reported by reason and a preview of the result. Pure and deterministic: the same records (in any
// order), spec and protected sets give the same snapshot.
import type { DatasetSpec } from './dataset-spec'
import { dedupItems } from './dedup'
import { filterReason } from './filter'
import type { SelectionInput, SelectionItem } from './items'
import { itemsOf } from './items'
import { applyMixPolicy } from './mix-policy'
import type { SelectionPreview } from './preview'
import { previewOf } from './preview'
import type { ProbeOffender, ProtectedSets } from './probe-guard'
import { findProbeOffenders, overrideWarning } from './probe-guard'
import { splitItems } from './split'

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

export function selectDataset(
  inputs: readonly SelectionInput[],
  spec: DatasetSpec,
  protectedSets: ProtectedSets,
  previewRows = 5,
): SelectionOutcome {
  const sampleIds = new Set<string>()
  for (const { record } of inputs) {
    if (sampleIds.has(record.sampleId)) throw new Error(`selection: sample ${record.sampleId} given twice`)
    sampleIds.add(record.sampleId)
  }
  const dropped = new Map<string, string[]>()
  const drop = (reason: string, id: string): void => {
    const ids = dropped.get(reason)
    if (ids === undefined) dropped.set(reason, [id])
    else ids.push(id)
  }
  const warnings: string[] = []
  const { seed } = spec.split
  const { accumulate } = spec.mix

  const filtered: SelectionItem[] = []
  for (const item of inputs.flatMap(itemsOf)) {
    const reason = filterReason(item, spec.filter, accumulate)
    if (reason === null) filtered.push(item)
    else drop(reason, item.id)
  }

  const offenders = findProbeOffenders(filtered, protectedSets)
  const override = spec.probeOverride
  if (offenders.length > 0 && override?.allowed !== true)
    return { ok: false, error: { kind: 'probe-or-reference', offenders } }
  if (offenders.length > 0 && override !== null) warnings.push(overrideWarning(offenders, override.reason))

  const deduped = dedupItems(filtered, spec.dedup, seed, accumulate)
  for (const duplicate of deduped.duplicates) drop(`duplicate:${duplicate.kind}`, duplicate.itemId)

  const mixed = applyMixPolicy(deduped.kept, spec.mix, seed)
  for (const { itemId, reason } of mixed.dropped) drop(`mix:${reason}`, itemId)

  const forcedTest = new Set(offenders.map((offender) => offender.sampleId))
  const { train, test } = splitItems(mixed.kept, spec.split, forcedTest)

  const humanDrops = [...dropped.values()].flat().filter((id) => id.startsWith('human-original:'))
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
      dropped: [...dropped.entries()]
        .map(([reason, ids]) => ({ reason, ids: ids.sort() }))
        .sort((a, b) => (a.reason < b.reason ? -1 : 1)),
      warnings,
      overridden: offenders,
      preview: previewOf(train, test, seed, previewRows),
    },
  }
}
