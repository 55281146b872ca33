// The parsers' public types. Kept in one module so every format reads the same contract and the job and
// preview code can import types without pulling in a parser.

export type ImportFormat =
  | 'jsonl'
  | 'json'
  | 'csv'
  | 'tsv'
  | 'text-lines'
  | 'text-paragraphs'
  | 'parquet'
  // Other tools' annotation exports: read with the JSON parsers, mapped by services/import/tools/.
  | 'prodigy-jsonl'
  | 'label-studio-json'
  | 'argilla-records'

export interface ParseLimits {
  /** Largest string value (UTF-8 bytes) in any field, nested ones included. */
  maxFieldBytes: number
  /** Deepest nesting of objects/arrays; the record itself is depth 1. */
  maxDepth: number
  /** Longest physical line (and JSON array element); longer ones are rejected without being buffered. */
  maxLineBytes: number
  /** CSV/TSV: how many physical lines one quoted field may span before it counts as unterminated. */
  maxQuotedLines: number
}

export interface Location {
  /** 1-based physical line where the unit starts; for parquet the 1-based row number. */
  line: number
  /** Byte offset in the file where the unit starts (parquet: where the row's row group starts). */
  byteOffset: number
}

export type ParsedItem =
  | { kind: 'record'; location: Location; fields: Record<string, unknown> }
  | { kind: 'error'; location: Location; reason: string }

export interface ParseOptions {
  limits?: Partial<ParseLimits>
  signal?: AbortSignal
  onProgress?: (bytesRead: number) => void
}

/** What every format parser receives: limits resolved, plus a hook for the column names (preview). */
export interface ResolvedOptions {
  limits: ParseLimits
  signal: AbortSignal | undefined
  onProgress: ((bytesRead: number) => void) | undefined
  onFields: ((fields: string[]) => void) | undefined
}
