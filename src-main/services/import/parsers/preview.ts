// A quick look at a file for the import screen: format, column names and the first rows and errors.
// It parses with the real parsers (so the preview never disagrees with the import) and stops early.
import { stat } from 'node:fs/promises'
import { detectFormat } from './detect'
import { parseWithFields } from './parse-file'
import type { ImportFormat, Location } from './types'

export interface FilePreview {
  format: ImportFormat
  fields: string[]
  rows: Record<string, unknown>[]
  errors: { location: Location; reason: string }[]
  sizeBytes: number
}

export async function previewFile(path: string, format?: ImportFormat, maxRows = 20): Promise<FilePreview> {
  const { size } = await stat(path)
  const chosen = format ?? (await detectFormat(path))
  let declared: string[] | null = null
  const seen = new Set<string>()
  const keys: string[] = []
  const rows: Record<string, unknown>[] = []
  const errors: FilePreview['errors'] = []
  const items = parseWithFields(path, chosen, undefined, (fields) => {
    declared = fields
  })
  // Leaving the loop early closes the file (the generator's finally).
  for await (const item of maxRows > 0 ? items : []) {
    if (item.kind === 'record') {
      rows.push(item.fields)
      for (const key of Object.keys(item.fields)) {
        if (!seen.has(key)) {
          seen.add(key)
          keys.push(key)
        }
      }
    } else errors.push({ location: item.location, reason: item.reason })
    if (rows.length >= maxRows || errors.length >= maxRows) break
  }
  // CSV/TSV/Parquet name their columns up front; JSON only shows the keys its rows happen to have.
  return { format: chosen, fields: declared ?? keys, rows, errors, sizeBytes: size }
}
