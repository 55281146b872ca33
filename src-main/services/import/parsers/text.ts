// Plain text: one record per non-blank line, or per blank-line-separated paragraph. The field is `text`;
// lines keep their exact content (only the \n or \r\n terminator is removed).
import { readLineBatches } from './line-reader'
import { errorItem, fieldTooLarge, invalidUtf8, lineTooLong } from './messages'
import { decodeUtf8, isBlankBytes } from './utf8'
import type { Location, ParsedItem, ResolvedOptions } from './types'

function textRecord(location: Location, text: string): ParsedItem {
  const fields = Object.create(null) as Record<string, unknown>
  fields.text = text
  return { kind: 'record', location, fields }
}

export async function* parseTextLines(path: string, options: ResolvedOptions): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  options.onFields?.(['text'])
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
      if (raw.size > limits.maxFieldBytes) {
        yield errorItem(location, fieldTooLarge('text', raw.size, limits.maxFieldBytes))
        continue
      }
      const decoded = decodeUtf8(raw.bytes)
      yield decoded.ok
        ? textRecord(location, decoded.text)
        : errorItem(location, invalidUtf8(raw.byteOffset + decoded.offset))
    }
  }
}

interface Paragraph {
  location: Location
  lines: string[]
  bytes: number
  /** The first fault found; later lines are still consumed (the paragraph is one unit) but not kept. */
  fault: string | null
}

export async function* parseTextParagraphs(
  path: string,
  options: ResolvedOptions,
): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  options.onFields?.(['text'])
  let paragraph: Paragraph | null = null

  const close = (): ParsedItem | null => {
    const done = paragraph
    paragraph = null
    if (!done) return null
    if (done.fault !== null) return errorItem(done.location, done.fault)
    if (done.bytes > limits.maxFieldBytes)
      return errorItem(done.location, fieldTooLarge('text', done.bytes, limits.maxFieldBytes))
    return textRecord(done.location, done.lines.join('\n'))
  }

  const reader = readLineBatches(path, {
    maxLineBytes: limits.maxLineBytes,
    signal,
    onProgress: options.onProgress,
  })
  for await (const batch of reader) {
    for (const raw of batch) {
      signal?.throwIfAborted()
      if (raw.bytes !== null && isBlankBytes(raw.bytes)) {
        const item = close()
        if (item) yield item
        continue
      }
      const current: Paragraph = (paragraph ??= {
        location: { line: raw.line, byteOffset: raw.byteOffset },
        lines: [],
        bytes: -1,
        fault: null,
      })
      current.bytes += raw.size + 1 // +1 for the \n that joins it to the previous line
      if (current.fault !== null) continue
      if (raw.bytes === null) {
        current.fault = lineTooLong(raw.size, limits.maxLineBytes, `line ${raw.line}`)
      } else if (current.bytes > limits.maxFieldBytes) {
        current.lines = [] // stop holding text that will be rejected; keep counting its size
      } else {
        const decoded = decodeUtf8(raw.bytes)
        if (decoded.ok) current.lines.push(decoded.text)
        else current.fault = invalidUtf8(raw.byteOffset + decoded.offset)
      }
    }
  }
  const item = close()
  if (item) yield item
}
