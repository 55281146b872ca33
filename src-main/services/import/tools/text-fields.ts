// For the import screen: which fields of another tool's records can hold the input text (the keys of
// Label Studio's `data`, Argilla's `fields`, a Prodigy task's own keys) and which one the mappers would use.
import type { AnnotationTool } from '@shared/domain/import-source'
import { isRecord, usualTextFields } from './tool-record'

/** The object a tool's record keeps its texts in. */
export function containerOf(tool: AnnotationTool, row: Record<string, unknown>): Record<string, unknown> {
  if (tool === 'label-studio' && isRecord(row.data)) return row.data
  if (tool === 'argilla' && isRecord(row.fields)) return row.fields
  return row
}

/** A record as the screen shows it and the origin field reads it: its texts first, then its own keys. */
export const flattenForScreen = (
  tool: AnnotationTool,
  row: Record<string, unknown>,
): Record<string, unknown> => ({
  ...containerOf(tool, row),
  ...row,
})

export function toolTextFields(
  tool: AnnotationTool,
  rows: Record<string, unknown>[],
): { fields: string[]; suggested: string | null } {
  const fields: string[] = []
  for (const row of rows)
    for (const [key, value] of Object.entries(containerOf(tool, row)))
      if (typeof value === 'string' && !key.startsWith('_') && !key.includes('.') && !fields.includes(key))
        fields.push(key)
  return { fields, suggested: usualTextFields.find((name) => fields.includes(name)) ?? fields[0] ?? null }
}
