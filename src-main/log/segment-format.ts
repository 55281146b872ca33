// The bytes of a segment file. Every line is `<crc32 of the JSON, 8 lowercase hex> <JSON>\n`; the first
// line of each segment is a header {format, version, logId, firstSeq}, every later line one event
// {seq, id, v, kind, at, data}. Segments are named seg-<firstSeq, 16 digits>.jsonl (+ .gz once closed).
import { crc32 } from 'node:zlib'
import type { LogEvent } from './log-types'

export const LOG_FORMAT = 'winnow-log'
export const LOG_FORMAT_VERSION = 1

const SEGMENT_NAME = /^seg-(\d{16})\.jsonl$/

export function segmentBase(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(16, '0')}.jsonl`
}

/** firstSeq of a plain segment name, or null when the name is not one. */
export function parseSegmentBase(name: string): number | null {
  const match = name.match(SEGMENT_NAME)
  return match?.[1] === undefined ? null : Number(match[1])
}

/** Encodes lines into one buffer (one allocation per batch); `lengths` are the bytes of each line. */
export function encodeLines(jsons: string[]): { bytes: Buffer; lengths: number[] } {
  const lengths = jsons.map((json) => Buffer.byteLength(json, 'utf8') + 10)
  const bytes = Buffer.allocUnsafe(lengths.reduce((sum, n) => sum + n, 0))
  let at = 0
  jsons.forEach((json, i) => {
    const end = at + (lengths[i] ?? 0) - 1
    // The JSON is encoded in place and checksummed where it lies.
    bytes.write(json, at + 9, 'utf8')
    bytes.write(
      crc32(bytes.subarray(at + 9, end))
        .toString(16)
        .padStart(8, '0'),
      at,
      'latin1',
    )
    bytes[at + 8] = 0x20
    bytes[end] = 0x0a
    at = end + 1
  })
  return { bytes, lengths }
}

export function encodeLine(json: string): Buffer {
  return encodeLines([json]).bytes
}

export function encodeHeader(logId: string, firstSeq: number): Buffer {
  return encodeLine(JSON.stringify({ format: LOG_FORMAT, version: LOG_FORMAT_VERSION, logId, firstSeq }))
}

/** `dataJson` is serialised once, when append() is called, so later mutation by the caller cannot leak in. */
export function eventJson(event: Omit<LogEvent, 'data'>, dataJson: string): string {
  const { seq, id, v, kind, at } = event
  const s = JSON.stringify
  return `{"seq":${seq},"id":${s(id)},"v":${v},"kind":${s(kind)},"at":${s(at)},"data":${dataJson}}`
}

export function encodeEvent(event: Omit<LogEvent, 'data'>, dataJson: string): Buffer {
  return encodeLine(eventJson(event, dataJson))
}

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string }

/** Checks and parses one line without its trailing newline. */
export function decodeLine(line: Buffer): Decoded {
  if (line.length < 10 || line[8] !== 0x20) return { ok: false, reason: 'malformed line' }
  const stored = line.toString('latin1', 0, 8)
  if (!/^[0-9a-f]{8}$/.test(stored)) return { ok: false, reason: 'malformed checksum' }
  const body = line.subarray(9)
  if (crc32(body) !== parseInt(stored, 16)) return { ok: false, reason: 'checksum mismatch' }
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown }
  } catch {
    return { ok: false, reason: 'unparsable JSON' }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Null when the line is the header this segment must start with, else why not. */
export function checkHeader(line: Buffer, logId: string, firstSeq: number): string | null {
  const decoded = decodeLine(line)
  if (!decoded.ok) return `segment header: ${decoded.reason}`
  const h = decoded.value
  if (!isRecord(h) || h.format !== LOG_FORMAT) return 'segment header: not a winnow log segment'
  if (typeof h.version !== 'number' || h.version > LOG_FORMAT_VERSION) {
    return `segment header: unsupported format version ${String(h.version)}`
  }
  if (h.logId !== logId) return 'segment header: belongs to another log'
  if (h.firstSeq !== firstSeq) return 'segment header: first seq does not match the file name'
  return null
}

/** logId from a header line, used to rebuild a lost manifest. */
export function headerLogId(line: Buffer): string | null {
  const decoded = decodeLine(line)
  return decoded.ok && isRecord(decoded.value) && typeof decoded.value.logId === 'string'
    ? decoded.value.logId
    : null
}

/** The event on a line, or why it is not the event expected at `expectedSeq`. */
export function decodeEvent(line: Buffer, expectedSeq: number): LogEvent | string {
  const decoded = decodeLine(line)
  if (!decoded.ok) return decoded.reason
  const e = decoded.value
  if (!isRecord(e) || !('data' in e)) return 'not an event'
  if (typeof e.id !== 'string' || typeof e.kind !== 'string' || typeof e.at !== 'string')
    return 'not an event'
  if (typeof e.v !== 'number' || typeof e.seq !== 'number') return 'not an event'
  if (e.seq !== expectedSeq) return `seq ${e.seq} where ${expectedSeq} was expected`
  return { seq: e.seq, id: e.id, v: e.v, kind: e.kind, at: e.at, data: e.data }
}

// The fixed head eventJson() writes; read without parsing the rest of the line.
const EVENT_HEAD = /^\{"seq":(\d+),"id":"[^"\\]*","v":\d+,"kind":"([^"\\]*)"/

/**
 * For a reader that wants only some kinds: the seq and kind of an intact line, from its head alone, so a
 * large event of another kind (a batch of candidates) is checksummed but never parsed. Null when the
 * line does not start the way this writer writes it; the caller then decodes it in full.
 */
export function peekEvent(line: Buffer): { seq: number; kind: string } | null {
  if (line.length < 10 || line[8] !== 0x20) return null
  const stored = line.toString('latin1', 0, 8)
  if (!/^[0-9a-f]{8}$/.test(stored) || crc32(line.subarray(9)) !== parseInt(stored, 16)) return null
  const head = line.toString('latin1', 9, Math.min(line.length, 9 + 256)).match(EVENT_HEAD)
  return head ? { seq: Number(head[1]), kind: head[2] ?? '' } : null
}
