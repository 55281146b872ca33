// The order a person sees a sample's candidates in: shuffled, so position does not favour one model, but
// stable for the same sample and annotator, so a reload or a second look shows the same order. The order
// shown is recorded with every decision (shownOrder), which makes position bias measurable later.

/** FNV-1a, 32-bit: a small, well-spread hash of the seed text; not for anything secret. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** mulberry32: a tiny seeded generator with good enough spread for shuffling a handful of ids. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000
  }
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
  const random = mulberry32(fnv1a(`${sampleId}\u0000${annotator}`))
  for (let index = ids.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1))
    const held = ids[index] as string
    ids[index] = ids[other] as string
    ids[other] = held
  }
  return ids
}
