// How to read the agreement figures, in words: Cohen's kappa with two annotators, Krippendorff's alpha with
// more. The bands are Landis and Koch's (1977), the ones annotation guidelines usually quote.
import type { Agreement } from '../../state/team.svelte'

export interface AgreementMeasure {
  name: 'Cohen’s kappa' | 'Krippendorff’s alpha'
  value: number | null
}

/** Kappa is defined for exactly two annotators; alpha for any number, so it stands in for three or more. */
export function headlineMeasure(agreement: Agreement): AgreementMeasure {
  return agreement.annotators.length === 2
    ? { name: 'Cohen’s kappa', value: agreement.cohensKappa }
    : { name: 'Krippendorff’s alpha', value: agreement.krippendorffAlpha }
}

export function strengthOf(value: number): string {
  if (value < 0) return 'worse than chance'
  if (value < 0.2) return 'slight (weak)'
  if (value < 0.4) return 'fair (weak)'
  if (value < 0.6) return 'moderate'
  if (value < 0.8) return 'substantial'
  return 'almost perfect'
}

/** One sentence on what the headline figure says, or why there is none yet. */
export function readingOf(agreement: Agreement): string {
  if (agreement.annotators.length < 2)
    return 'Agreement needs two annotators: merge another annotator’s copy of this project below.'
  if (agreement.overlappingSamples === 0)
    return 'No sample has been decided by two annotators yet, so there is nothing to compare: have them review some of the same samples.'
  const { name, value } = headlineMeasure(agreement)
  if (value === null)
    return `${name} is undefined here: every decision on the shared samples is the same kind, so chance alone would agree as often.`
  return (
    `${name} corrects raw agreement for chance: 1 is perfect, 0 is what chance alone gives, and below 0.4 is ` +
    `weak. Here it is ${formatFigure(value)}, ${strengthOf(value)}` +
    (value < 0.4 ? ': settle the disagreements and sharpen the guidelines before exporting.' : '.')
  )
}

export function formatFigure(value: number | null): string {
  return value === null ? '—' : value.toFixed(2)
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`
}
