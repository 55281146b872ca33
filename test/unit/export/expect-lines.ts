// Golden-line checks shared by the export tests: every line is one JSON object ending in '\n' whose keys
// are exactly the trainer's, and the lines equal the hand-written rows, byte for byte.
import { expect } from 'vitest'

/** Throws unless the line parses to an object whose key set is exactly `keys`. */
export function expectKeys(line: string, keys: readonly string[]): void {
  expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true)
  const parsed: unknown = JSON.parse(line)
  expect(parsed).toBeTypeOf('object')
  expect(Object.keys(parsed as object).sort()).toStrictEqual([...keys].sort())
}

export function expectGolden(lines: string[], expected: object[], keys: readonly string[]): void {
  for (const line of lines) expectKeys(line, keys)
  expect(lines.map((line) => JSON.parse(line) as unknown)).toStrictEqual(expected)
  expect(lines).toStrictEqual(expected.map((row) => `${JSON.stringify(row)}\n`))
}
