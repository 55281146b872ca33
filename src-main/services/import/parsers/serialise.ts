// Writes records in an import format: the inverse of parsing (for property tests and future export).
// Records a format cannot represent (a text with a newline, for text-lines) throw a RangeError rather
// than being written in a form that would read back differently.
import type { ImportFormat } from './types'

export type SerialFormat = Exclude<
  ImportFormat,
  'parquet' | 'prodigy-jsonl' | 'label-studio-json' | 'argilla-records'
>

const isBlankLine = (line: string): boolean => /^[ \t\v\f\r]*$/.test(line)

function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value)
    case 'object':
      return value === null ? '' : JSON.stringify(value)
    default:
      return ''
  }
}

function delimited(records: Record<string, unknown>[], delimiter: ',' | '\t'): string {
  const header: string[] = []
  const seen = new Set<string>()
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key)
        header.push(key)
      }
    }
  }
  if (header.length === 0) throw new RangeError('records without fields cannot be written as CSV/TSV')
  const special = delimiter === ',' ? /[",\r\n]/ : /[\t"\r\n]/
  const cell = (text: string): string =>
    special.test(text) || (text === '' && header.length === 1) // a lone empty cell would be a blank line
      ? `"${text.replaceAll('"', '""')}"`
      : text
  const lines = [header.map(cell).join(delimiter)]
  for (const record of records) lines.push(header.map((key) => cell(cellText(record[key]))).join(delimiter))
  return lines.join('\n') + '\n'
}

function textOf(record: Record<string, unknown>, index: number): string {
  const text = record.text
  if (typeof text !== 'string') throw new RangeError(`record ${index} has no string field "text"`)
  return text
}

function textLines(records: Record<string, unknown>[]): string {
  return records
    .map((record, index) => {
      const text = textOf(record, index)
      if (text.includes('\n') || text.endsWith('\r') || isBlankLine(text)) {
        throw new RangeError(`record ${index}: text-lines cannot hold a blank text or one with a line break`)
      }
      return `${text}\n`
    })
    .join('')
}

function textParagraphs(records: Record<string, unknown>[]): string {
  return records
    .map((record, index) => {
      const text = textOf(record, index)
      if (text.split('\n').some((line) => line.endsWith('\r') || isBlankLine(line))) {
        throw new RangeError(
          `record ${index}: a paragraph cannot contain a blank line or end a line with \\r`,
        )
      }
      return text
    })
    .join('\n\n')
    .concat(records.length > 0 ? '\n' : '')
}

export function serialise(records: Record<string, unknown>[], format: SerialFormat): string {
  let out: string
  switch (format) {
    case 'jsonl':
      out = records.map((record) => `${JSON.stringify(record)}\n`).join('')
      break
    case 'json':
      out =
        records.length === 0
          ? '[]\n'
          : `[\n${records.map((record) => JSON.stringify(record)).join(',\n')}\n]\n`
      break
    case 'csv':
      out = records.length === 0 ? '' : delimited(records, ',')
      break
    case 'tsv':
      out = records.length === 0 ? '' : delimited(records, '\t')
      break
    case 'text-lines':
      out = textLines(records)
      break
    case 'text-paragraphs':
      out = textParagraphs(records)
      break
    default:
      throw new RangeError(`cannot serialise to ${String(format satisfies never)}`)
  }
  // Readers strip one leading BOM; if the data itself starts with U+FEFF, a second one keeps it.
  return out.startsWith('\uFEFF') ? `\uFEFF${out}` : out
}
