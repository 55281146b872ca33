// Turns a parsed value into record fields that are safe to store: null-prototype objects all the way down
// (so "__proto__" stays a plain data key), no lone surrogates, bounded depth and string size.
import { fieldTooLarge, lineTooLong, tooDeep } from './messages'
import { decodeUtf8, hasLoneSurrogate } from './utf8'
import type { ParseLimits } from './types'

export type Checked = { ok: true; fields: Record<string, unknown> } | { ok: false; reason: string }

/** Thrown inside the converter only; caught in toRecordFields, so it never leaves this module. */
class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

/** A parquet string or JSON cell whose bytes could not be decoded; the row is rejected when it is met. */
export class UndecodableValue {
  constructor(readonly reason: string) {}
}

type Path = (string | number)[]

function pathName(path: Path): string {
  let name = ''
  for (const part of path) name += typeof part === 'number' ? `[${part}]` : name === '' ? part : `.${part}`
  return name
}

/** `path` null means the string is a field name. */
function checkString(text: string, path: Path | null, limits: ParseLimits): void {
  if (hasLoneSurrogate(text)) {
    throw new Rejection(
      path ? `lone surrogate in field ${JSON.stringify(pathName(path))}` : 'lone surrogate in a field name',
    )
  }
  // UTF-8 needs at least one byte per UTF-16 unit and at most three, so most strings skip the count.
  if (text.length * 3 > limits.maxFieldBytes) {
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes <= limits.maxFieldBytes) return
    throw new Rejection(
      path
        ? fieldTooLarge(pathName(path), bytes, limits.maxFieldBytes)
        : lineTooLong(bytes, limits.maxFieldBytes, 'a field name'),
    )
  }
}

function convert(value: unknown, path: Path, depth: number, limits: ParseLimits): unknown {
  switch (typeof value) {
    case 'string':
      checkString(value, path, limits)
      return value
    case 'boolean':
      return value
    case 'number':
      // JSON.parse turns 1e400 into Infinity, which JSON cannot write back: refuse instead of changing data.
      if (!Number.isFinite(value))
        throw new Rejection(`number ${value} in field ${JSON.stringify(pathName(path))} cannot be stored`)
      return value
    case 'bigint':
      // Parquet INT64: exact as a number when it fits, else as its decimal digits (never rounded).
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString()
    case 'undefined':
      return null
    case 'object':
      break
    default:
      throw new Rejection(`unsupported value in field ${JSON.stringify(pathName(path))}`)
  }
  if (value === null) return null
  if (value instanceof UndecodableValue)
    throw new Rejection(`${value.reason} in field ${JSON.stringify(pathName(path))}`)
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new Rejection(`invalid date in field ${JSON.stringify(pathName(path))}`)
    return value.toISOString()
  }
  if (value instanceof Uint8Array) return convertBytes(value, path, depth, limits)
  if (depth >= limits.maxDepth) throw new Rejection(tooDeep(limits.maxDepth))
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const items = value as ArrayLike<unknown>
    const out = new Array<unknown>(items.length)
    for (let i = 0; i < items.length; i++) {
      path.push(i)
      out[i] = convert(items[i], path, depth + 1, limits)
      path.pop()
    }
    return out
  }
  return convertObject(value as Record<string, unknown>, path, depth + 1, limits)
}

function convertObject(
  source: Record<string, unknown>,
  path: Path,
  depth: number,
  limits: ParseLimits,
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(source)) {
    checkString(key, null, limits)
    path.push(key)
    // Own data keys only: a key named __proto__ read from JSON.parse output is a data property.
    out[key] = convert(source[key], path, depth, limits)
    path.pop()
  }
  return out
}

/** Unannotated parquet BYTE_ARRAY: text when it is valid UTF-8 (many writers omit the annotation). */
function convertBytes(bytes: Uint8Array, path: Path, depth: number, limits: ParseLimits): unknown {
  const decoded = decodeUtf8(bytes)
  if (decoded.ok) return convert(decoded.text, path, depth, limits)
  const out = Object.create(null) as Record<string, unknown>
  out.base64 = convert(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    path,
    depth,
    limits,
  )
  return out
}

/** Checks and copies one record. `value` must be a plain object (the callers check what it is). */
export function toRecordFields(value: Record<string, unknown>, limits: ParseLimits): Checked {
  try {
    return { ok: true, fields: convertObject(value, [], 1, limits) }
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.reason }
    // Defensive: a RangeError (stack) must not end the whole import.
    return {
      ok: false,
      reason: `could not read record: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}

/** Nesting depth of JSON text, counted without parsing so a 10,000-deep line never reaches JSON.parse. */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

/** Parses one JSON text that must be an object, then checks it (shared by JSONL and JSON arrays). */
export function parseJsonRecord(text: string, limits: ParseLimits): Checked {
  if (jsonDepthExceeds(text, limits.maxDepth)) return { ok: false, reason: tooDeep(limits.maxDepth) }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'not a JSON object' }
  return toRecordFields(value as Record<string, unknown>, limits)
}
