// Chooses the parser for a format. parseWithFields also reports the column names as soon as the format
// knows them (CSV header, Parquet schema), which the preview needs even for a file without rows.
import { parseDelimited } from './csv'
import { parseJsonArray } from './json-array'
import { parseJsonl } from './jsonl'
import { recordsLayout } from './detect'
import { resolveOptions } from './limits'
import { parseParquet } from './parquet'
import { parseTextLines, parseTextParagraphs } from './text'
import type { ImportFormat, ParsedItem, ParseOptions, ResolvedOptions } from './types'

/**
 * Argilla's SDK writes a JSON array, a dataset exported to the Hugging Face Hub is Parquet or JSON Lines: the
 * first bytes tell which.
 */
async function* parseRecords(path: string, options: ResolvedOptions): AsyncGenerator<ParsedItem> {
  const layout = await recordsLayout(path)
  yield* layout === 'parquet'
    ? parseParquet(path, options)
    : layout === 'json'
      ? parseJsonArray(path, options)
      : parseJsonl(path, options)
}

export function parseWithFields(
  path: string,
  format: ImportFormat,
  options: ParseOptions | undefined,
  onFields: ((fields: string[]) => void) | undefined,
): AsyncGenerator<ParsedItem> {
  const resolved = resolveOptions(options, onFields)
  switch (format) {
    case 'jsonl':
      return parseJsonl(path, resolved)
    case 'json':
      return parseJsonArray(path, resolved)
    case 'csv':
      return parseDelimited(path, resolved, ',')
    case 'tsv':
      return parseDelimited(path, resolved, '\t')
    case 'text-lines':
      return parseTextLines(path, resolved)
    case 'text-paragraphs':
      return parseTextParagraphs(path, resolved)
    case 'parquet':
      return parseParquet(path, resolved)
    case 'prodigy-jsonl':
      return parseJsonl(path, resolved)
    case 'label-studio-json':
      return parseJsonArray(path, resolved)
    case 'argilla-records':
      return parseRecords(path, resolved)
    default:
      throw new RangeError(`unknown import format: ${String(format satisfies never)}`)
  }
}

/** Streams a file as records and located errors. I/O failures (missing file, abort) throw. */
export function parseFile(
  path: string,
  format: ImportFormat,
  options?: ParseOptions,
): AsyncIterable<ParsedItem> {
  return parseWithFields(path, format, options, undefined)
}
