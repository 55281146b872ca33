// Parquet via hyparquet, one row group at a time over a file handle (never the whole file in memory).
// Strings are decoded strictly here too: a row with invalid UTF-8 is rejected, not patched with U+FFFD.
import { open } from 'node:fs/promises'
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet'
import type { AsyncBuffer, FileMetaData, ParquetParsers, RowGroup } from 'hyparquet'
import { errorItem, tooDeep } from './messages'
import { jsonDepthExceeds, toRecordFields, UndecodableValue } from './record-values'
import { decodeUtf8 } from './utf8'
import type { ParseLimits, ParsedItem, ResolvedOptions } from './types'

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function strictParsers(limits: ParseLimits): Partial<ParquetParsers> {
  return {
    // Returning a marker instead of throwing keeps the fault to its own row, not the whole row group.
    stringFromBytes(bytes: Uint8Array | undefined) {
      if (!bytes) return bytes
      const decoded = decodeUtf8(bytes)
      return decoded.ok
        ? decoded.text
        : new UndecodableValue(`invalid UTF-8 at byte ${decoded.offset} of the value`)
    },
    jsonFromBytes(bytes: Uint8Array | undefined) {
      if (!bytes) return bytes
      const decoded = decodeUtf8(bytes)
      if (!decoded.ok) return new UndecodableValue(`invalid UTF-8 at byte ${decoded.offset} of the value`)
      if (jsonDepthExceeds(decoded.text, limits.maxDepth))
        return new UndecodableValue(tooDeep(limits.maxDepth))
      try {
        return JSON.parse(decoded.text) as unknown
      } catch (error) {
        return new UndecodableValue(`malformed JSON (${message(error)})`)
      }
    },
  }
}

function byteRange(group: RowGroup): { start: number; end: number } {
  let start = Infinity
  let end = 0
  for (const column of group.columns) {
    const meta = column.meta_data
    if (!meta) continue
    const first = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
    start = Math.min(start, first)
    end = Math.max(end, first + Number(meta.total_compressed_size))
  }
  return start === Infinity ? { start: 0, end: 0 } : { start, end }
}

export async function* parseParquet(path: string, options: ResolvedOptions): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  signal?.throwIfAborted()
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const file: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        // hyparquet cannot be cancelled; failing its next read is how an abort reaches it.
        signal?.throwIfAborted()
        const length = Math.max(0, end - start)
        const view = new Uint8Array(length)
        for (let done = 0; done < length;) {
          const { bytesRead } = await handle.read(view, done, length - done, start + done)
          if (bytesRead === 0) throw new Error(`the file ends at byte ${start + done}`)
          done += bytesRead
        }
        return view.buffer
      },
    }
    let metadata: FileMetaData
    try {
      metadata = await parquetMetadataAsync(file)
    } catch (error) {
      signal?.throwIfAborted()
      yield errorItem({ line: 1, byteOffset: 0 }, `not a readable Parquet file: ${message(error)}`)
      return
    }
    // Array rows, named here: hyparquet's object rows are plain {} and a column named "__proto__" would
    // set the prototype instead of becoming a key.
    const columns = parquetSchema(metadata).children.map((child) => child.element.name)
    options.onFields?.(columns)
    const parsers = strictParsers(limits)
    let rowStart = 0
    for (const [index, group] of metadata.row_groups.entries()) {
      const rowEnd = rowStart + Number(group.num_rows)
      const { start, end } = byteRange(group)
      const location = (row: number) => ({ line: row + 1, byteOffset: start })
      let rows: unknown[][] = []
      if (rowEnd > rowStart && columns.length > 0) {
        try {
          await parquetRead({
            file,
            metadata,
            columns,
            rowStart,
            rowEnd,
            rowFormat: 'array',
            utf8: false,
            parsers,
            onComplete: (data: unknown[][]) => {
              rows = data
            },
          })
        } catch (error) {
          signal?.throwIfAborted()
          const reason = `rows ${rowStart + 1}–${rowEnd} (row group ${index + 1}) could not be read: ${message(error)}`
          yield errorItem(location(rowStart), reason)
          rowStart = rowEnd
          continue
        }
      }
      for (let r = 0; r < rows.length; r++) {
        signal?.throwIfAborted()
        const values = rows[r]!
        const source = Object.create(null) as Record<string, unknown>
        for (let c = 0; c < columns.length; c++) source[columns[c]!] = values[c]
        const checked = toRecordFields(source, limits)
        yield checked.ok
          ? { kind: 'record', location: location(rowStart + r), fields: checked.fields }
          : errorItem(location(rowStart + r), checked.reason)
      }
      if (rows.length < rowEnd - rowStart && columns.length > 0) {
        yield errorItem(
          location(rowStart + rows.length),
          `rows ${rowStart + rows.length + 1}–${rowEnd} are missing`,
        )
      }
      options.onProgress?.(end)
      rowStart = rowEnd
    }
  } finally {
    await handle.close()
  }
}
