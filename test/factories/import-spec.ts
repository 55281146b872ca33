// The import spec most tests use: a JSONL file of {id, text} records, declared human-written.
import type { ImportSpec } from '@shared/domain/import-spec'

export const jsonlImportSpec = (path: string, overrides: Partial<ImportSpec> = {}): ImportSpec => ({
  path,
  format: 'jsonl',
  textField: 'text',
  idField: 'id',
  origin: { kind: 'declared', value: 'human' },
  ...overrides,
})
