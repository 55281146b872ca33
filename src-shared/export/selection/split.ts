// Train/test assignment by a seeded hash of the source sample's id: every item of one sample lands in the same
// split, the answer for a sample never depends on which other samples are exported or in what order, and
// samples forced to test (probe or reference under an override) can never reach train.
import type { SplitSpec } from './dataset-spec'
import { unitHash } from './hash'
import type { SelectionItem } from './items'

export const isTestSample = (sampleId: string, spec: SplitSpec): boolean =>
  unitHash(`split:${sampleId}`, spec.seed) < spec.testFraction

const byId = (a: SelectionItem, b: SelectionItem): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export function splitItems(
  items: readonly SelectionItem[],
  spec: SplitSpec,
  forcedTest: ReadonlySet<string>,
): { train: SelectionItem[]; test: SelectionItem[] } {
  const train: SelectionItem[] = []
  const test: SelectionItem[] = []
  for (const item of items)
    (forcedTest.has(item.sampleId) || isTestSample(item.sampleId, spec) ? test : train).push(item)
  return { train: train.sort(byId), test: test.sort(byId) }
}
