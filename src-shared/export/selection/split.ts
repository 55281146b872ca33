// Train/test assignment by a seeded hash of the source sample's id: every item of one sample lands in the same
// split, the answer for a sample never depends on which other samples are exported or in what order, and
// samples forced to test (probe or reference under an override) can never reach train (selection-stream.ts).
import type { SplitSpec } from './dataset-spec'
import { unitHash } from './hash'

export const isTestSample = (sampleId: string, spec: SplitSpec): boolean =>
  unitHash(`split:${sampleId}`, spec.seed) < spec.testFraction
