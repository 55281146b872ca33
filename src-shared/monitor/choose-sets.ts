// The seeded choice of the probe and reference sets among a project's human samples: the same samples, seed
// and sizes always give the same sets, and the two sets never share a sample or a text.
import { seededRandom } from '../domain/seeded-random'
import { normaliseText } from '../export/selection/dedup'

export interface Candidate {
  id: string
  ord: number
  text: string
}

export interface ChosenSets {
  probeSampleIds: string[]
  referenceSampleIds: string[]
}

/**
 * Shuffles the distinct, non-empty human texts (Fisher–Yates, seeded) in import order and takes the first
 * `probeSize` as probes and the next `referenceSize` as the reference. Throws, saying what to do, when
 * there are too few.
 */
export function chooseSets(
  humanSamples: readonly Candidate[],
  sizes: { probeSize: number; referenceSize: number },
  seed: number,
): ChosenSets {
  const seen = new Set<string>()
  const distinct = [...humanSamples]
    .sort((a, b) => a.ord - b.ord)
    .filter((sample) => {
      const key = normaliseText(sample.text)
      if (key === '' || seen.has(key)) return false
      seen.add(key)
      return true
    })
  const needed = sizes.probeSize + sizes.referenceSize
  if (distinct.length < needed)
    throw new Error(
      `The sets need ${needed} distinct human samples and the project has ${distinct.length}: import more ` +
        'human-written texts or choose smaller sets.',
    )
  const random = seededRandom(seed)
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = distinct[i]!
    distinct[i] = distinct[j]!
    distinct[j] = swap
  }
  return {
    probeSampleIds: distinct.slice(0, sizes.probeSize).map((s) => s.id),
    referenceSampleIds: distinct.slice(sizes.probeSize, needed).map((s) => s.id),
  }
}
