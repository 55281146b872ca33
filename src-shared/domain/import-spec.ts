// What the user chose on the import screen: the format, which field is the text, and who wrote it.
import { z } from 'zod'
import { origin } from './sample'
import type { AnnotationTool } from './import-source'

export const importFormats = [
  'jsonl',
  'json',
  'csv',
  'tsv',
  'text-lines',
  'text-paragraphs',
  'parquet',
  'prodigy-jsonl',
  'label-studio-json',
  'argilla-records',
] as const
export const importFormat = z.enum(importFormats)
export type ImportFormat = z.infer<typeof importFormat>

export const formatLabels: Record<ImportFormat, string> = {
  jsonl: 'JSON Lines',
  json: 'JSON array',
  csv: 'CSV',
  tsv: 'TSV',
  'text-lines': 'Plain text, one sample per line',
  'text-paragraphs': 'Plain text, one sample per paragraph',
  parquet: 'Parquet',
  'prodigy-jsonl': 'Prodigy annotations (db-out JSONL)',
  'label-studio-json': 'Label Studio export (JSON)',
  'argilla-records': 'Argilla / Hugging Face records (JSON or JSONL)',
}

/** The formats that are another tool's annotation export (mapped to candidates and decisions too). */
export const toolOfFormat: Partial<Record<ImportFormat, AnnotationTool>> = {
  'prodigy-jsonl': 'prodigy',
  'label-studio-json': 'label-studio',
  'argilla-records': 'argilla',
}

/** Declared for the whole file, or read from a field whose values map to an origin. */
export const originSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('declared'), value: origin }),
  z.object({
    kind: z.literal('field'),
    field: z.string().min(1),
    /** Field value → origin; values not listed become 'unknown'. */
    values: z.record(z.string(), origin),
  }),
])
export type OriginSpec = z.infer<typeof originSpec>

export const importSpec = z.object({
  path: z.string().min(1),
  format: importFormat,
  textField: z.string().min(1),
  idField: z.string().min(1).nullable(),
  origin: originSpec,
})
export type ImportSpec = z.infer<typeof importSpec>

export const importError = z.object({ line: z.number().int().nonnegative(), reason: z.string() })
export type ImportError = z.infer<typeof importError>

export const importCounts = z.object({
  read: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
})
export type ImportCounts = z.infer<typeof importCounts>

/** A point in an import: the last unit handled (byte offset, unique and increasing), its line, the counts. */
export const importProgressMark = z.object({
  byteOffset: z.number().int().min(-1),
  line: z.number().int().nonnegative(),
  counts: importCounts,
})
export type ImportProgressMark = z.infer<typeof importProgressMark>

/** At most this many errors travel in the log and the store; the full list is in the batch's error file. */
export const maxStoredErrors = 10_000
