// Default limits and their validation. The defaults keep one record far below what IndexedDB and
// JSON.stringify can handle (see RELIABILITY.md: stack overflows near 5,000 levels of nesting).
import type { ParseLimits, ParseOptions, ResolvedOptions } from './types'

export const defaultParseLimits: Readonly<ParseLimits> = Object.freeze({
  maxFieldBytes: 1024 * 1024,
  maxDepth: 64,
  maxLineBytes: 16 * 1024 * 1024,
  maxQuotedLines: 1000,
})

export function resolveOptions(
  options: ParseOptions | undefined,
  onFields?: (fields: string[]) => void,
): ResolvedOptions {
  const limits: ParseLimits = { ...defaultParseLimits }
  for (const key of Object.keys(defaultParseLimits) as (keyof ParseLimits)[]) {
    const value = options?.limits?.[key]
    if (value === undefined) continue
    // A zero or fractional limit would make every unit an error, which reads like corrupt data: refuse early.
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`limit ${key} must be a positive integer`)
    limits[key] = value
  }
  return { limits, signal: options?.signal, onProgress: options?.onProgress, onFields }
}
