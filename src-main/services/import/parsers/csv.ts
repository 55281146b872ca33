// CSV (RFC 4180) and TSV with a header row. When a quote never closes (within maxQuotedLines/maxFieldBytes
// or before EOF) or a multi-line record has the wrong column count (= merged records), only the record
// starting on that line is rejected and parsing restarts on the next physical line: one bad quote, one loss.
import { uniqueColumnNames } from './csv-header'
import { RecordBuilder } from './csv-record'
import type { Step } from './csv-record'
import { readLineBatches } from './line-reader'
import type { RawLine } from './line-reader'
import { errorItem, fieldTooLarge, formatBytes, invalidUtf8, lineTooLong } from './messages'
import { decodeLenient, decodeUtf8 } from './utf8'
import type { Location, ParsedItem, ResolvedOptions } from './types'

interface TextLine {
  line: number
  byteOffset: number
  /** Decoded text; null when the line was over maxLineBytes. */
  text: string | null
  size: number
  isCrlf: boolean
  /** Absolute offset of the first invalid UTF-8 byte, or -1. Such a line is decoded leniently only to find
   *  the record's extent (delimiters and quotes are ASCII, so U+FFFD cannot move them); its record is rejected. */
  badUtf8At: number
}

function toTextLine(raw: RawLine): TextLine {
  let text: string | null = null
  let badUtf8At = -1
  if (raw.bytes !== null) {
    const decoded = decodeUtf8(raw.bytes)
    if (decoded.ok) text = decoded.text
    else {
      text = decodeLenient(raw.bytes)
      badUtf8At = raw.byteOffset + decoded.offset
    }
  }
  return { line: raw.line, byteOffset: raw.byteOffset, text, size: raw.size, isCrlf: raw.crlf, badUtf8At }
}

export async function* parseDelimited(
  path: string,
  options: ResolvedOptions,
  delimiter: ',' | '\t',
): AsyncGenerator<ParsedItem> {
  const { limits, signal } = options
  const reader = readLineBatches(path, {
    maxLineBytes: limits.maxLineBytes,
    signal,
    onProgress: options.onProgress,
  })
  // Lines not yet parsed; lines of a rejected record (after its first) are put back here to be re-read.
  let queue: TextLine[] = []
  let head = 0
  let isEof = false
  let header: string[] | null = null

  const refill = async (): Promise<boolean> => {
    while (head === queue.length) {
      if (isEof) return false
      const next = await reader.next()
      if (next.done) {
        isEof = true
        return false
      }
      queue = next.value.map(toTextLine)
      head = 0
    }
    return true
  }

  const toRecord = (
    location: Location,
    fields: string[],
    lines: readonly TextLine[],
    names: string[],
  ): ParsedItem => {
    for (const line of lines) if (line.badUtf8At >= 0) return errorItem(location, invalidUtf8(line.badUtf8At))
    const record = Object.create(null) as Record<string, unknown>
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i]!
      const name = names[i]!
      if (value.length * 3 > limits.maxFieldBytes) {
        const bytes = Buffer.byteLength(value, 'utf8')
        if (bytes > limits.maxFieldBytes)
          return errorItem(location, fieldTooLarge(name, bytes, limits.maxFieldBytes))
      }
      record[name] = value
    }
    return { kind: 'record', location, fields: record }
  }

  // TSV files are often unquoted text in which a field merely starts with a quote ("Hi," she said). When
  // the quoted reading of such a line fails, its plain tab-split reading is used if the column count fits.
  const literalTsv = (first: TextLine): string[] | null => {
    if (delimiter !== '\t' || first.text === null || !first.text.includes('"')) return null
    const fields = first.text.split('\t')
    return header === null || fields.length === header.length ? fields : null
  }

  try {
    while (await refill()) {
      signal?.throwIfAborted()
      const first = queue[head++]!
      const location = { line: first.line, byteOffset: first.byteOffset }
      if (first.text === null) {
        yield errorItem(location, lineTooLong(first.size, limits.maxLineBytes))
        continue
      }
      if (first.text === '') continue

      const builder = new RecordBuilder(delimiter)
      const consumed: TextLine[] = [first]
      let step: Step = builder.feed(first.text, first.line)
      let failure: string | null = null
      while (step.kind === 'open') {
        const last = consumed[consumed.length - 1]!
        if (last.line - builder.quoteLine + 1 >= limits.maxQuotedLines) {
          failure = `unterminated quoted field (no closing quote within ${limits.maxQuotedLines} lines)`
          break
        }
        if (builder.quotedBytes > limits.maxFieldBytes) {
          failure = `unterminated quoted field (no closing quote within ${formatBytes(limits.maxFieldBytes)})`
          break
        }
        if (!(await refill())) {
          failure = 'unterminated quoted field (the file ends inside it)'
          break
        }
        const next = queue[head++]!
        consumed.push(next)
        if (next.text === null) {
          failure = `unterminated quoted field (line ${next.line} is over the ${formatBytes(limits.maxLineBytes)} limit)`
          break
        }
        builder.newline(last.isCrlf)
        step = builder.feed(next.text, next.line)
      }
      if (step.kind === 'bad-quote') {
        const found = JSON.stringify(step.found)
        const closedOn = consumed[consumed.length - 1]!.line
        // Across lines, the likely fault is a quote that was never meant to close where it did.
        failure =
          closedOn === step.quoteLine
            ? `unexpected ${found} after the closing quote in column ${step.column}`
            : `unterminated quoted field (the quote from line ${step.quoteLine} only closes on line ${closedOn}, before ${found})`
      }
      const fields = builder.fields
      const expected = header?.length ?? fields.length
      if (failure === null && fields.length !== expected)
        failure = `expected ${expected} columns, found ${fields.length}`

      if (failure !== null) {
        // Reject only the record that starts here and re-read every later line it swallowed.
        if (consumed.length > 1) {
          queue = consumed.slice(1).concat(queue.slice(head))
          head = 0
        }
        const literal = literalTsv(first)
        if (header === null) {
          if (literal === null) {
            yield errorItem(location, `could not read the header row: ${failure}`)
            return
          }
          header = uniqueColumnNames(literal)
          options.onFields?.(header)
        } else if (literal !== null) yield toRecord(location, literal, [first], header)
        else yield errorItem(location, failure)
        continue
      }

      if (header === null) {
        const bad = consumed.find((line) => line.badUtf8At >= 0)
        if (bad) {
          yield errorItem(location, `could not read the header row: ${invalidUtf8(bad.badUtf8At)}`)
          return
        }
        header = uniqueColumnNames(fields)
        options.onFields?.(header)
        continue
      }
      yield toRecord(location, fields, consumed, header)
    }
  } finally {
    await reader.return(undefined)
  }
}
