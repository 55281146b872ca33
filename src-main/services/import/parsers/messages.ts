// Human-readable pieces shared by the error reasons, so every format words the same fault the same way.
import type { Location, ParsedItem } from './types'

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const rounded = unit === 0 ? String(value) : String(Math.round(value * 10) / 10)
  return `${rounded} ${units[unit]}`
}

/** "1 MiB, over the 1 MiB limit" would be confusing: fall back to exact byte counts when they round alike. */
export function sizeOverLimit(size: number, limit: number): [string, string] {
  const a = formatBytes(size)
  const b = formatBytes(limit)
  return a === b ? [`${size} bytes`, `${limit}-byte`] : [a, b]
}

export function fieldTooLarge(field: string, size: number, limit: number): string {
  const [a, b] = sizeOverLimit(size, limit)
  return `field ${JSON.stringify(field)} is ${a}, over the ${b} limit`
}

export function lineTooLong(size: number, limit: number, what = 'line'): string {
  const [a, b] = sizeOverLimit(size, limit)
  return `${what} is ${a}, over the ${b} limit`
}

export const invalidUtf8 = (absoluteOffset: number): string => `invalid UTF-8 at byte ${absoluteOffset}`

export const tooDeep = (maxDepth: number): string => `nesting deeper than ${maxDepth}`

export const errorItem = (location: Location, reason: string): ParsedItem => ({
  kind: 'error',
  location,
  reason,
})
