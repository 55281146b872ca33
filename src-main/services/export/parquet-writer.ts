// Rows of one format to a Parquet file in memory (hyparquet-writer, pure JS), with the format's fixed column
// schema rather than one guessed from the data: an empty split or a list that happens to be empty in every
// row still gets the right types, and every split of an export has the same schema.
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { SchemaElement } from 'hyparquet'
import type { ColumnType, Columns } from '@shared/export/parquet-columns'

function schemaOf(name: string, type: ColumnType): SchemaElement[] {
  const required = { name, repetition_type: 'REQUIRED' } as const
  if (type === 'string') return [{ ...required, type: 'BYTE_ARRAY', converted_type: 'UTF8' }]
  if (type === 'boolean') return [{ ...required, type: 'BOOLEAN' }]
  if (type === 'double') return [{ ...required, type: 'DOUBLE' }]
  if ('list' in type)
    return [
      { ...required, converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      ...schemaOf('element', type.list),
    ]
  const fields = Object.entries(type.struct)
  return [{ ...required, num_children: fields.length }, ...fields.flatMap(([field, t]) => schemaOf(field, t))]
}

/** Throws on a row whose keys differ from the columns: a dropped or unexpected field is a bug, not data. */
function checkKeys(columns: Columns, rows: readonly object[]): void {
  const expected = Object.keys(columns).sort().join(',')
  rows.forEach((row, i) => {
    const actual = Object.keys(row).sort().join(',')
    if (actual !== expected) throw new Error(`parquet: row ${i} has columns ${actual}, expected ${expected}`)
  })
}

export function writeParquet(columns: Columns, rows: readonly object[]): ArrayBuffer {
  checkKeys(columns, rows)
  const names = Object.keys(columns)
  const schema: SchemaElement[] = [
    { name: 'root', num_children: names.length },
    ...names.flatMap((name) => schemaOf(name, columns[name] ?? 'string')),
  ]
  const columnData = names.map((name) => ({
    name,
    data: rows.map((row) => (row as Record<string, unknown>)[name]),
  }))
  return parquetWriteBuffer({ columnData, schema, createdBy: 'winnow' })
}
