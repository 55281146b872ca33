// Shared by the parser tests: temp files that clean themselves up and a parse collected into arrays.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseFile } from '../../../src-main/services/import/parsers/index'
import type { ImportFormat, ParsedItem, ParseOptions } from '../../../src-main/services/import/parsers/index'

export interface TempDir {
  dir: string
  write(name: string, content: string | Uint8Array): string
  cleanup(): void
}

export function makeTempDir(prefix = 'winnow-parsers-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    write(name, content) {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function collect(
  path: string,
  format: ImportFormat,
  options?: ParseOptions,
): Promise<ParsedItem[]> {
  const items: ParsedItem[] = []
  for await (const item of parseFile(path, format, options)) items.push(item)
  return items
}

export const recordsOf = (items: ParsedItem[]): Record<string, unknown>[] =>
  items.flatMap((item) => (item.kind === 'record' ? [item.fields] : []))

export const errorsOf = (items: ParsedItem[]): { line: number; reason: string }[] =>
  items.flatMap((item) => (item.kind === 'error' ? [{ line: item.location.line, reason: item.reason }] : []))

/** Plain-object copy for comparisons (the parsers return null-prototype objects). */
export const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown

export const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))),
  )

/** Every object in a value, checked to have a null prototype (arrays are left as arrays). */
export function allNullPrototype(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  if (Array.isArray(value)) return value.every(allNullPrototype)
  if (Object.getPrototypeOf(value) !== null) return false
  return Object.values(value).every(allNullPrototype)
}
