// Parquet round trip: each format's rows written with its fixed column schema read back (hyparquet) equal to
// the rows, nested message lists, booleans, empty splits and non-BMP text included.
import { parquetReadObjects, parquetSchema, parquetMetadata } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { FormatOptions } from '@shared/export/format-options'
import { formatIds, formatRows } from '@shared/export/formats'
import { columnsFor } from '@shared/export/parquet-columns'
import { writeParquet } from '../../../src-main/services/export/parquet-writer'
import { fixtureRecords } from './fixture-project'

const variants: Record<string, FormatOptions> = {
  default: defaultFormatOptions,
  'system + messages': { ...defaultFormatOptions, systemPrompt: 'Be brief.', shape: 'messages' },
}

describe('parquet writer', () => {
  for (const [variant, options] of Object.entries(variants))
    for (const formatId of formatIds) {
      const columns = columnsFor(formatId, options)
      if (columns === null) continue
      it(`${formatId} (${variant}) reads back equal to the rows`, async () => {
        const rows = formatRows(formatId, fixtureRecords, options)
        expect(rows.length).toBeGreaterThan(0)
        const back = await parquetReadObjects({ file: writeParquet(columns, rows) })
        expect(back).toStrictEqual(rows)
      })
    }

  it('distillation has no fixed schema (its prompt is a message list or a raw string)', () => {
    expect(columnsFor('distillation', defaultFormatOptions)).toBeNull()
  })

  it('an empty split still carries the schema', async () => {
    const columns = columnsFor('kto', defaultFormatOptions) ?? {}
    const file = writeParquet(columns, [])
    expect(await parquetReadObjects({ file })).toStrictEqual([])
    const names = parquetSchema(parquetMetadata(file)).children.map((child) => child.element.name)
    expect(names).toStrictEqual(['prompt', 'completion', 'label'])
  })

  it('refuses a row with a missing or an extra field instead of writing nulls or dropping data', () => {
    const columns = { prompt: 'string', completion: 'string' } as const
    expect(() => writeParquet(columns, [{ prompt: 'a' }])).toThrow(/row 0/)
    expect(() => writeParquet(columns, [{ prompt: 'a', completion: 'b', label: true }])).toThrow(/row 0/)
  })
})
