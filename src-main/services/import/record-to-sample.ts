// Maps one parsed record to a sample: the chosen text field, the optional id field, the declared or
// field-mapped origin, and everything else kept as metadata. The content hash identifies the record for
// idempotent re-import, whatever the key order in the file.
import { createHash } from 'node:crypto'
import { canonicalJson } from '@shared/domain/canonical-json'
import type { ImportSpec, OriginSpec } from '@shared/domain/import-spec'
import type { Origin } from '@shared/domain/sample'

export interface MappedSample {
  text: string
  externalId: string | null
  meta: Record<string, unknown>
  origin: Origin
  contentHash: string
}

export type Mapping = { ok: true; sample: MappedSample } | { ok: false; reason: string }

export function recordToSample(fields: Record<string, unknown>, spec: ImportSpec): Mapping {
  const text = fields[spec.textField]
  if (text === undefined || text === null)
    return { ok: false, reason: `field "${spec.textField}" is missing` }
  if (typeof text !== 'string')
    return { ok: false, reason: `field "${spec.textField}" is ${describe(text)}, not text` }
  if (text.trim() === '') return { ok: false, reason: `field "${spec.textField}" is empty` }
  let externalId: string | null = null
  if (spec.idField) {
    const id = fields[spec.idField]
    if (typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint') externalId = String(id)
    else if (id !== undefined && id !== null) {
      return { ok: false, reason: `id field "${spec.idField}" is ${describe(id)}, not a string or number` }
    }
  }
  const meta: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(fields)) {
    if (key !== spec.textField && key !== spec.idField) meta[key] = toJsonValue(fields[key])
  }
  const origin = resolveOrigin(fields, spec.origin)
  const contentHash = createHash('sha256').update(canonicalJson({ text, externalId, meta })).digest('hex')
  return { ok: true, sample: { text, externalId, meta, origin, contentHash } }
}

/** The declared origin, or the one the record's origin field maps to ('unknown' for an unlisted value). */
export function resolveOrigin(fields: Record<string, unknown>, spec: OriginSpec): Origin {
  if (spec.kind === 'declared') return spec.value
  const value = fields[spec.field]
  return (
    (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number'
      ? spec.values[String(value)]
      : undefined) ?? 'unknown'
  )
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** Parquet hands back BigInt, Date and byte arrays; the log and the store hold JSON only. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (value === undefined) return null
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const key of Object.keys(value)) copy[key] = toJsonValue((value as Record<string, unknown>)[key])
    return copy
  }
  return value
}
