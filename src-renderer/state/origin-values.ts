// Mapping an origin field's values to human / model / unknown: the distinct values seen in the preview rows,
// and a first guess for each that the person confirms or changes.
import type { Origin } from '@shared/domain/sample'

/** Distinct values shown for mapping an origin field; more than this is not an origin column. */
const maxOriginValues = 24

/** A first guess for mapping a field value to an origin; the person can change every one. */
export function guessOrigin(value: string): Origin {
  const v = value.toLowerCase()
  if (/\b(human|person|people|manual|gold|annotator|real|original)\b/.test(v)) return 'human'
  if (/\b(model|synthetic|generated|machine|llm|gpt|ai|assistant|bot)\b/.test(v)) return 'model'
  return 'unknown'
}

/** Scalar values of a field across the preview rows, as the strings the importer compares them as. */
export function distinctValues(rows: readonly Record<string, unknown>[], field: string): string[] {
  const seen = new Set<string>()
  for (const row of rows) {
    const value = row[field]
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue
    seen.add(String(value))
    if (seen.size >= maxOriginValues) break
  }
  return [...seen]
}
