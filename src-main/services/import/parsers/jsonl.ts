// JSON Lines: one object per physical line. Each line stands alone, so a bad line costs exactly itself.
import { readLineBatches } from './line-reader'
import { errorItem, invalidUtf8, lineTooLong } from './messages'
import { parseJsonRecord } from './record-values'
import { decodeUtf8, isBlankBytes } from './utf8'
import type { ParsedItem, ResolvedOptions } from './types'

export async function* parseJsonl(path: string, options: ResolvedOptions): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  const reader = readLineBatches(path, {
    maxLineBytes: limits.maxLineBytes,
    signal,
    onProgress: options.onProgress,
  })
  for await (const batch of reader) {
    for (const raw of batch) {
      signal?.throwIfAborted()
      const location = { line: raw.line, byteOffset: raw.byteOffset }
      if (raw.bytes === null) {
        yield errorItem(location, lineTooLong(raw.size, limits.maxLineBytes))
        continue
      }
      if (isBlankBytes(raw.bytes)) continue
      const decoded = decodeUtf8(raw.bytes)
      if (!decoded.ok) {
        yield errorItem(location, invalidUtf8(raw.byteOffset + decoded.offset))
        continue
      }
      const parsed = parseJsonRecord(decoded.text, limits)
      yield parsed.ok
        ? { kind: 'record', location, fields: parsed.fields }
        : errorItem(location, parsed.reason)
    }
  }
}
