// A top-level JSON array, streamed: the scanner finds each element's byte span and each element is parsed
// on its own, so one malformed element is rejected alone. Damage that breaks the structure beyond repair
// (a string open to the end of the file) gives one error at that element, and parsing stops.
import { ArrayScanner } from './json-array-scanner'
import { readChunks } from './file-chunks'
import { errorItem, invalidUtf8, lineTooLong, tooDeep } from './messages'
import { parseJsonRecord } from './record-values'
import { decodeUtf8 } from './utf8'
import type { ParsedItem, ResolvedOptions } from './types'

const notClosed = 'the top-level array is not closed (is the file truncated?)'

export async function* parseJsonArray(path: string, options: ResolvedOptions): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  const scanner = new ArrayScanner(limits.maxDepth, limits.maxLineBytes)

  const finishElement = (): ParsedItem => {
    const { location } = scanner
    if (scanner.isOversize)
      return errorItem(location, lineTooLong(scanner.size, limits.maxLineBytes, 'element'))
    if (scanner.isTooDeep) return errorItem(location, tooDeep(limits.maxDepth))
    const bytes = scanner.parts.length === 1 ? scanner.parts[0]! : Buffer.concat(scanner.parts)
    scanner.parts = []
    const decoded = decodeUtf8(bytes)
    if (!decoded.ok) return errorItem(location, invalidUtf8(location.byteOffset + decoded.offset))
    const parsed = parseJsonRecord(decoded.text, limits)
    return parsed.ok
      ? { kind: 'record', location, fields: parsed.fields }
      : errorItem(location, parsed.reason)
  }

  for await (const chunk of readChunks(path, signal, options.onProgress)) {
    scanner.beginChunk(chunk)
    for (;;) {
      const event = scanner.advance()
      if (event.kind === 'chunk-end') break
      signal?.throwIfAborted()
      if (event.kind === 'element') yield finishElement()
      else {
        yield errorItem(event.location, event.reason)
        if (event.isFatal) return
      }
    }
    scanner.endChunk()
  }

  if (scanner.phase === 'before') yield errorItem(scanner.end, notClosed)
  if (scanner.phase !== 'element') return
  if (scanner.isElementOpen) {
    yield errorItem(scanner.location, 'the file ends inside this element (is it truncated?)')
  } else {
    // The element itself is complete; only the closing "]" is missing.
    yield finishElement()
    yield errorItem(scanner.end, notClosed)
  }
}
