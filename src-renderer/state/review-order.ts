// The order a person sees a sample's candidates in: shuffled, so position does not favour one model, but
// stable for the same sample and annotator, so a reload or a second look shows the same order. The order
// shown is recorded with every decision (shownOrder), which makes position bias measurable later.
import { seededRandom } from '@shared/domain/seeded-random'

/** FNV-1a, 32-bit: a small, well-spread hash of the seed text; not for anything secret. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/**
 * The ids in a shuffled order that depends only on the set of ids, the sample and the annotator: the
 * input is sorted first, so the order in which the store happened to return them does not matter.
 */
export function shownOrderFor(
  candidateIds: readonly string[],
  sampleId: string,
  annotator: string,
): string[] {
  const ids = [...candidateIds].sort()
  const random = seededRandom(fnv1a(`${sampleId}\u0000${annotator}`))
  for (let index = ids.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1))
    const held = ids[index] as string
    ids[index] = ids[other] as string
    ids[other] = held
  }
  return ids
}
