// One generation's embedding metrics from its probe continuations (grouped by probe prompt) and the frozen
// human reference, in one call: Vendi (orders 2 and 1), mean pairwise cosine distance, within-input spread,
// centroid drift and Gaussian MMD² to the reference, MAUVE when both sides are large enough, and the samples'
// centroid (so a later report can measure drift to generation 0), with half-sample bands (bootstrap/bands.ts:
// resampling with replacement would copy vectors and fake concentration).
import type { Band, Figures } from '../bootstrap/bands'
import { deviationBand, halfSamples } from '../bootstrap/bands'
import { centroidDrift, defaultMmdOptions, gaussianMmd2 } from './centroid-drift'
import { meanPairwiseCosineDistance, withinInputSpread } from './cosine-distance'
import { defaultMauveOptions, mauve } from './mauve'
import { commonDimension, unitVectors } from './unit-vectors'
import { vendiOrder1, vendiOrder2 } from './vendi'

export interface EmbeddedSample {
  /** The probe prompt it continues: within-input spread is measured among one prompt's k continuations. */
  group: string
  vector: Float32Array
}

export interface EmbeddingFigures {
  vendi2: number | null
  vendi1: number | null
  meanPairwiseCosineDistance: number | null
  withinInputSpread: number | null
  centroidDriftToReference: number | null
  mmd2ToReference: number | null
}

export interface EmbeddingSummary extends EmbeddingFigures {
  samples: number
  referenceTexts: number
  dimensions: number
  mauve: number | null
  /** Why MAUVE is null (too few points per side). */
  mauveNote: string | null
  /** Mean of the samples' unit vectors, rounded to 6 decimals (it is stored in the log). */
  centroid: number[]
  /** 90 % half-sample bands by figure name. */
  bands: Record<string, Band>
}

export function embeddingFigures(
  samples: readonly EmbeddedSample[],
  reference: readonly Float32Array[],
  seed: number,
): EmbeddingFigures {
  const vectors = samples.map((s) => s.vector)
  const groups = new Map<string, Float32Array[]>()
  for (const s of samples) groups.set(s.group, [...(groups.get(s.group) ?? []), s.vector])
  return {
    vendi2: vectors.length === 0 ? null : vendiOrder2(vectors),
    vendi1: vectors.length === 0 ? null : vendiOrder1(vectors),
    meanPairwiseCosineDistance: meanPairwiseCosineDistance(vectors),
    withinInputSpread: withinInputSpread([...groups.values()]),
    centroidDriftToReference: centroidDrift(vectors, reference),
    mmd2ToReference: gaussianMmd2(vectors, reference, { ...defaultMmdOptions, seed }),
  }
}

/** The unit-scaled samples' mean, rounded so the log holds a short, stable figure. */
export function unitCentroid(vectors: readonly Float32Array[]): number[] {
  if (vectors.length === 0) return []
  const dimension = commonDimension(vectors)
  const mean = new Float64Array(dimension)
  for (const unit of unitVectors(vectors))
    for (let i = 0; i < dimension; i++) mean[i]! += unit[i]! / vectors.length
  return [...mean].map((x) => Math.round(x * 1e6) / 1e6)
}

/** ‖a − b‖ for two centroids of the same dimension; null when either is empty or they differ in size. */
export function centroidDistance(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || a.length !== b.length) return null
  return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0))
}

/**
 * The summary with bands over `rounds` half-samples of the continuations (whole prompts' groups kept
 * together, so within-input spread keeps its k candidates). `pause` runs between rounds.
 */
export async function embeddingSummary(
  samples: readonly EmbeddedSample[],
  reference: readonly Float32Array[],
  options: { seed: number; rounds: number; pause?: () => Promise<void> },
): Promise<EmbeddingSummary> {
  const vectors = samples.map((s) => s.vector)
  const full = embeddingFigures(samples, reference, options.seed)
  const groupIds = [...new Set(samples.map((s) => s.group))]
  // Half of the prompts (each with all its continuations) when there are enough; else half of the texts.
  const byGroup = groupIds.length >= 4
  const units = byGroup ? groupIds.length : samples.length
  const rounds: Figures[] = []
  for (const indices of halfSamples(units, options.rounds, options.seed)) {
    const keep = new Set(indices.map((i) => groupIds[i]!))
    const chosen = byGroup ? samples.filter((s) => keep.has(s.group)) : indices.map((i) => samples[i]!)
    rounds.push({ ...embeddingFigures(chosen, reference, options.seed) })
    await options.pause?.()
  }
  const bands: Record<string, Band> = {}
  for (const [key, value] of Object.entries(full) as [keyof EmbeddingFigures, number | null][]) {
    if (value === null || !Number.isFinite(value)) continue
    const values = rounds
      .map((r) => r[key])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    const band = deviationBand(value, values)
    if (band !== null) bands[key] = band
  }
  const mauveResult = mauve(vectors, reference, { ...defaultMauveOptions, seed: options.seed })
  return {
    ...full,
    samples: samples.length,
    referenceTexts: reference.length,
    dimensions: vectors.length === 0 ? 0 : commonDimension(vectors),
    mauve: mauveResult.score,
    mauveNote: mauveResult.score === null ? mauveResult.reason : null,
    centroid: unitCentroid(vectors),
    bands,
  }
}
