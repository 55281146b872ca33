// Strict NDJSON for a streamed Ollama answer. Every complete line is checked (UTF-8, a JSON object, no
// `error`, nothing after the final line) before ollama-js sees it, because ollama-js drops a line it
// cannot parse with only a console warning: a silently lost token. The common case costs one UTF-8
// check, one decode and one JSON.parse per line, and hands the bytes on as they came.
import { isUtf8 } from 'node:buffer'
import type { GenerationError } from '../engine'
import { failure } from './failures'

export interface Checked {
  /** Validated complete lines, newline-terminated, ready for ollama-js; null when there are none. */
  bytes: Uint8Array | null
  /** The first bad line's failure; the lines before it are in `bytes` so the partial text survives. */
  error: GenerationError | null
}

const NEWLINE = 0x0a

export class NdjsonChecker {
  /** Lines accepted so far: more than 0 means the answer has started. */
  lines = 0
  sawDone = false
  private pending: Buffer | null = null

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Uint8Array): Checked {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const bytes = this.pending ? Buffer.concat([this.pending, view]) : view
    const end = bytes.lastIndexOf(NEWLINE) + 1
    const rest = bytes.subarray(end)
    this.checkLength(rest)
    // Held across reads, so copied: the reader may reuse the chunk's memory.
    this.pending = rest.length > 0 ? Buffer.from(rest) : null
    return end === 0 ? { bytes: null, error: null } : this.checkRegion(bytes.subarray(0, end))
  }

  /** End of body: the unterminated last line, if any, checked like the others. */
  finish(): Checked {
    const last = this.pending
    this.pending = null
    if (!last) return { bytes: null, error: null }
    return this.checkRegion(Buffer.concat([last, Buffer.from([NEWLINE])]))
  }

  /** `region` holds whole lines only, each ending in a newline. */
  private checkRegion(region: Buffer): Checked {
    if (region.length > this.maxLineBytes) this.checkEachLength(region)
    if (!isUtf8(region)) return this.checkLineByLine(region)
    const lines = region.toString('utf8').split('\n')
    lines.pop()
    let verbatim = true
    const kept: string[] = []
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      if (line !== raw) verbatim = false
      if (line.trim() === '') {
        verbatim = false
        continue
      }
      const error = this.checkLine(line)
      if (error) return { bytes: kept.length > 0 ? encode(kept) : null, error }
      kept.push(line)
    }
    if (kept.length === 0) return { bytes: null, error: null }
    return { bytes: verbatim ? region : encode(kept), error: null }
  }

  /** Slow path for a region with bad UTF-8: keep the good lines before the bad one and name it. */
  private checkLineByLine(region: Buffer): Checked {
    const kept: string[] = []
    for (let start = 0; start < region.length;) {
      const nl = region.indexOf(NEWLINE, start)
      const line = region.subarray(start, nl)
      start = nl + 1
      if (!isUtf8(line)) {
        const error = failure('malformed', `line ${this.lines + 1} is not valid UTF-8`, this.lines > 0)
        return { bytes: kept.length > 0 ? encode(kept) : null, error }
      }
      const text = line.toString('utf8').replace(/\r$/, '')
      if (text.trim() === '') continue
      const error = this.checkLine(text)
      if (error) return { bytes: kept.length > 0 ? encode(kept) : null, error }
      kept.push(text)
    }
    return { bytes: kept.length > 0 ? encode(kept) : null, error: null }
  }

  private checkLine(text: string): GenerationError | null {
    const n = this.lines + 1
    const started = this.lines > 0
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return failure('malformed', `line ${n} is not JSON: ${text.slice(0, 120)}`, started)
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return failure('malformed', `line ${n} is not a JSON object`, started)
    if ('error' in value)
      return failure('model-error', `server error mid-stream: ${String(value.error).slice(0, 500)}`, started)
    // ollama-js stops reading at `done`; anything after it would be lost without a word.
    if (this.sawDone) return failure('malformed', `line ${n} follows the final line`, started)
    if (('done' in value && value.done === true) || ('status' in value && value.status === 'success'))
      this.sawDone = true
    this.lines++
    return null
  }

  private checkLength(unterminated: Buffer): void {
    if (unterminated.length > this.maxLineBytes) throw this.tooLong()
  }

  private checkEachLength(region: Buffer): void {
    for (let start = 0; start < region.length;) {
      const nl = region.indexOf(NEWLINE, start)
      if (nl - start > this.maxLineBytes) throw this.tooLong()
      start = nl + 1
    }
  }

  private tooLong(): GenerationError {
    return failure('too-large', `line longer than ${this.maxLineBytes} bytes`, this.lines > 0)
  }
}

function encode(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8')
}
