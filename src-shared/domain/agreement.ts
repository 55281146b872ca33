// Inter-annotator agreement over a merged project: each annotator's label for a sample is their own current
// review status (from their own decisions only), and the figures are raw agreement, Cohen's kappa (exactly
// two annotators) and Krippendorff's alpha (nominal, any number, missing values allowed).
import type { DecisionRecord } from './decision'
import { reduceSampleReview } from './review-state'

/**
 * One annotator's judgement of one sample, as a nominal category:
 *   - `select:<candidateId>`: they chose that candidate as it is;
 *   - `edit`: they rewrote a candidate (two rewrites agree that no candidate was good as it stood; their
 *     texts rarely match to the letter, so which candidate they started from is not part of the label);
 *   - `reject-all`: no candidate is usable.
 * Unreviewed and skipped samples have no label (a missing value): a skip defers the judgement, it is not one.
 */
export type AgreementLabel = `select:${string}` | 'edit' | 'reject-all'

export function labelOf(decisionsOfOneAnnotator: readonly DecisionRecord[]): AgreementLabel | null {
  const review = reduceSampleReview(decisionsOfOneAnnotator)
  switch (review.status) {
    case 'selected':
      return review.chosenCandidateId === null ? null : `select:${review.chosenCandidateId}`
    case 'edited':
      return 'edit'
    case 'rejected':
      return 'reject-all'
    default:
      return null
  }
}

/** Per sample, each annotator's label (annotators without one are absent). Samples nobody labelled are left out. */
export function labelsBySample(
  decisionsBySample: Iterable<readonly [string, readonly DecisionRecord[]]>,
): Map<string, Map<string, AgreementLabel>> {
  const out = new Map<string, Map<string, AgreementLabel>>()
  for (const [sampleId, decisions] of decisionsBySample) {
    const byAnnotator = new Map<string, DecisionRecord[]>()
    for (const d of decisions) {
      const list = byAnnotator.get(d.annotator)
      if (list) list.push(d)
      else byAnnotator.set(d.annotator, [d])
    }
    const labels = new Map<string, AgreementLabel>()
    for (const [annotator, own] of byAnnotator) {
      const label = labelOf(own)
      if (label !== null) labels.set(annotator, label)
    }
    if (labels.size > 0) out.set(sampleId, labels)
  }
  return out
}

/**
 * Cohen's kappa for two raters over the items both rated: (po − pe) / (1 − pe), with pe from each rater's
 * own marginals. Null when it is undefined: no items, or pe = 1 (both raters used one and the same
 * category throughout, so chance agreement is already perfect).
 */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): number | null {
  const n = pairs.length
  if (n === 0) return null
  const first = new Map<string, number>()
  const second = new Map<string, number>()
  let agreeing = 0
  for (const [a, b] of pairs) {
    if (a === b) agreeing++
    first.set(a, (first.get(a) ?? 0) + 1)
    second.set(b, (second.get(b) ?? 0) + 1)
  }
  const po = agreeing / n
  let pe = 0
  for (const [category, count] of first) pe += (count / n) * ((second.get(category) ?? 0) / n)
  if (pe >= 1) return null
  return (po - pe) / (1 - pe)
}

/**
 * Krippendorff's alpha for nominal data. Each unit is the list of values it received (missing values simply
 * absent); units with fewer than two values are not pairable and are dropped. With the coincidence matrix
 * o_ck = Σ_u (c–k pairs in u) / (m_u − 1), n_c its marginals and n = Σ n_c:
 *   α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k.
 * Null when undefined: fewer than two pairable values, or every pairable value in one category
 * (no expected disagreement to compare with).
 */
export function krippendorffAlphaNominal(units: readonly (readonly string[])[]): number | null {
  let observedOff = 0 // Σ_{c≠k} o_ck
  const marginals = new Map<string, number>()
  for (const values of units) {
    const m = values.length
    if (m < 2) continue
    const counts = new Map<string, number>()
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
    // Ordered pairs of different values in the unit: m² − Σ n_uc², each weighted 1 / (m − 1).
    let same = 0
    for (const c of counts.values()) same += c * c
    observedOff += (m * m - same) / (m - 1)
    for (const [v, c] of counts) marginals.set(v, (marginals.get(v) ?? 0) + c)
  }
  let n = 0
  let squares = 0
  for (const c of marginals.values()) {
    n += c
    squares += c * c
  }
  const expectedOff = n * n - squares // Σ_{c≠k} n_c·n_k
  if (n < 2 || expectedOff === 0) return null
  return 1 - ((n - 1) * observedOff) / expectedOff
}

export type AgreementFigures = {
  /** Everyone with at least one label, sorted. */
  annotators: string[]
  /** Samples at least one annotator labelled. */
  labelledSamples: number
  /** Samples at least two annotators labelled: the ones agreement is measured on. */
  overlappingSamples: number
  /** Overlapping samples on which every label is the same. */
  agreeingSamples: number
  /** agreeingSamples / overlappingSamples; null with no overlap. */
  percentAgreement: number | null
  /** Only with exactly two annotators; null otherwise or where undefined. */
  cohensKappa: number | null
  krippendorffAlpha: number | null
  /** The disagreement queue: overlapping samples whose labels differ, by sample id. */
  disagreements: string[]
}

export function agreementFigures(
  decisionsBySample: Iterable<readonly [string, readonly DecisionRecord[]]>,
): AgreementFigures {
  const labels = labelsBySample(decisionsBySample)
  const annotators = new Set<string>()
  const units: string[][] = []
  const disagreements: string[] = []
  let overlapping = 0
  for (const [sampleId, byAnnotator] of labels) {
    for (const annotator of byAnnotator.keys()) annotators.add(annotator)
    const values = [...byAnnotator.values()]
    units.push(values)
    if (values.length < 2) continue
    overlapping++
    if (values.some((v) => v !== values[0])) disagreements.push(sampleId)
  }
  const sorted = [...annotators].sort()
  let kappa: number | null = null
  if (sorted.length === 2) {
    const [a, b] = sorted as [string, string]
    const pairs: [string, string][] = []
    for (const byAnnotator of labels.values()) {
      const la = byAnnotator.get(a)
      const lb = byAnnotator.get(b)
      if (la !== undefined && lb !== undefined) pairs.push([la, lb])
    }
    kappa = cohensKappa(pairs)
  }
  const agreeing = overlapping - disagreements.length
  return {
    annotators: sorted,
    labelledSamples: labels.size,
    overlappingSamples: overlapping,
    agreeingSamples: agreeing,
    percentAgreement: overlapping === 0 ? null : agreeing / overlapping,
    cohensKappa: kappa,
    krippendorffAlpha: krippendorffAlphaNominal(units),
    disagreements: disagreements.sort(),
  }
}
