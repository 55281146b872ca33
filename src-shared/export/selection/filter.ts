// The filter over items. Filters about candidates (decision, flags, model, generation) concern accepted items
// only; a human original is not a decision, and a negative is taken or not as a whole (filter.negatives). Under "accumulate" every human original passes, whatever the
// filter says: keeping all real data is the point of the policy.
import type { DatasetFilter } from './dataset-spec'
import type { SelectionItem } from './items'

/** Null when the item passes, else the first criterion it fails. */
export function filterReason(item: SelectionItem, filter: DatasetFilter, accumulate: boolean): string | null {
  if (item.kind === 'human-original' && accumulate) return null
  if (item.kind === 'negative' && !filter.negatives) return 'filter:negatives'
  if (item.kind === 'accepted') {
    if (item.status === null || !filter.decisions.includes(item.status)) return 'filter:decision'
    if (item.flagReasons.some((reason) => filter.excludeFlagReasons.includes(reason))) return 'filter:flag'
    if (filter.models !== null && (item.model === null || !filter.models.includes(item.model)))
      return 'filter:model'
    if (
      filter.generations !== null &&
      (item.generation === null || !filter.generations.includes(item.generation))
    )
      return 'filter:generation'
  }
  if (filter.origins !== null && !filter.origins.includes(item.sourceOrigin)) return 'filter:origin'
  const { depth } = filter
  if (depth !== null && (item.depth === null || item.depth < depth.min || item.depth > depth.max))
    return 'filter:depth'
  if (filter.tags !== null && !item.tags.some((tag) => filter.tags?.includes(tag))) return 'filter:tag'
  if (filter.reviewedAt !== null && !isWithin(item.reviewedAt, filter.reviewedAt)) return 'filter:date'
  return null
}

function isWithin(at: string | null, range: { from: string | null; to: string | null }): boolean {
  if (at === null) return false
  const time = Date.parse(at)
  if (Number.isNaN(time)) return false
  if (range.from !== null && time < Date.parse(range.from)) return false
  if (range.to !== null && time > Date.parse(range.to)) return false
  return true
}
