// Probe and reference sets are the monitor's yardstick: a model trained on them grades itself. An item
// offends when its sample is in a protected set or its normalised text hashes to a protected text. Without
// an override the export is refused; with one, the offenders' samples go to the test split only (never
// train), and the snapshot records why.
import { sha256Hex } from '../../domain/sha256'
import { normaliseText } from './dedup'
import type { SelectionItem } from './items'

export type ProtectedSets = {
  /** Sample ids in any probe or reference set. */
  sampleIds: readonly string[]
  /** protectedTextHash of each probe and reference text. */
  textHashes: readonly string[]
}

export const noProtectedSets: ProtectedSets = { sampleIds: [], textHashes: [] }

export const protectedTextHash = (text: string): string => sha256Hex(normaliseText(text))

export type ProbeOffender = { itemId: string; sampleId: string; match: 'sample-id' | 'text' }

export function findProbeOffenders(items: readonly SelectionItem[], sets: ProtectedSets): ProbeOffender[] {
  const ids = new Set(sets.sampleIds)
  const hashes = new Set(sets.textHashes)
  const offenders: ProbeOffender[] = []
  for (const item of items) {
    if (ids.has(item.sampleId))
      offenders.push({ itemId: item.id, sampleId: item.sampleId, match: 'sample-id' })
    else if (hashes.size > 0 && hashes.has(protectedTextHash(item.text)))
      offenders.push({ itemId: item.id, sampleId: item.sampleId, match: 'text' })
  }
  return offenders
}

export function overrideWarning(offenders: readonly ProbeOffender[], reason: string): string {
  const samples = [...new Set(offenders.map((o) => o.sampleId))].sort()
  return (
    `PROBE/REFERENCE OVERRIDE: ${samples.length} sample(s) from probe or reference sets are in this export, ` +
    `in the test split only (reason: ${reason}): ${samples.join(', ')}`
  )
}
