// Strict NDJSON for a streamed Ollama answer. ollama-js parses every line itself and drops one it cannot
// parse with only a console warning: a silently lost token. So every line is accounted for here, without
// parsing it a second time: the checker counts the lines it passes on (each valid UTF-8, one `{…}`
// object, no `error` object, nothing after the final line) and the engine compares that count with the
// parts ollama-js yielded. A difference means a line did not parse; `firstUnparsable()` then finds which,
// so the candidate fails as malformed with exactly the text that came before it. Lines that look unusual
// (blank, CR, not braced, an error object) take the exact path: decoded and parsed here, one by one.
import { isUtf8 } from 'node:buffer'
import type { GenerationError } from '../engine'
import { failure } from './failures'

export interface Checked {
  /** Checked complete lines, newline-terminated, ready for ollama-js; null when there are none. */
  bytes: Uint8Array | null
  /** The first bad line's failure; the lines before it are in `bytes` so the partial text survives. */
  error: GenerationError | null
}

const NEWLINE = 0x0a
const CR = 0x0d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const BACKSLASH = 0x5c
const ERROR_HEAD = '{"error"'
/** What a final line holds: `done: true` ends a generate or chat answer, `status: "success"` a pull. */
export const ANY_FINAL: readonly string[] = ['"done":true', '"status":"success"']
/** For a generate or chat answer: one search of the text less per read (a scan costs ~1 ns a byte). */
export const ANSWER_FINAL: readonly string[] = ['"done":true']

export class NdjsonChecker {
  /** Lines passed on so far: more than 0 means the answer has started. */
  lines = 0
  sawDone = false
  /** The start of an unterminated line, in the pieces it arrived in. */
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Everything passed on, kept (not copied) for the rare search for a line ollama-js could not parse. */
  private readonly passed: Buffer[] = []

  constructor(
    private readonly maxLineBytes: number,
    private readonly finalMarkers: readonly string[] = ANY_FINAL,
  ) {}

  push(chunk: Uint8Array): Checked {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (view.lastIndexOf(NEWLINE) < 0) {
      // No line ends here: hold the piece (copied: the reader may reuse its memory) without joining, so a
      // giant line costs one copy per byte rather than one per chunk.
      this.pendingBytes += view.length
      if (this.pendingBytes > this.maxLineBytes) throw this.tooLong()
      this.pending.push(Buffer.from(view))
      return { bytes: null, error: null }
    }
    const bytes = this.pending.length > 0 ? Buffer.concat([...this.pending, view]) : view
    const end = bytes.lastIndexOf(NEWLINE) + 1
    const rest = bytes.subarray(end)
    if (rest.length > this.maxLineBytes) throw this.tooLong()
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : []
    this.pendingBytes = rest.length
    return this.pass(this.checkRegion(bytes.subarray(0, end)))
  }

  /** End of body: the unterminated last line, if any, checked like the others. */
  finish(): Checked {
    const last = this.pending
    this.pending = []
    this.pendingBytes = 0
    if (last.length === 0) return { bytes: null, error: null }
    return this.pass(this.checkRegion(Buffer.concat([...last, Buffer.from([NEWLINE])])))
  }

  /**
   * The first line passed on that is not JSON (0-based among the lines passed), with its failure; null
   * when every line parses. Called only when ollama-js yielded fewer parts than lines were passed.
   */
  firstUnparsable(): { index: number; error: GenerationError } | null {
    let index = 0
    for (const region of this.passed) {
      for (const line of region.toString('utf8').split('\n')) {
        if (line === '') continue
        try {
          JSON.parse(line)
        } catch {
          const error = failure(
            'malformed',
            `line ${index + 1} is not JSON: ${line.slice(0, 120)}`,
            index > 0,
          )
          return { index, error }
        }
        index++
      }
    }
    return null
  }

  private pass(checked: Checked): Checked {
    if (checked.bytes)
      this.passed.push(Buffer.from(checked.bytes.buffer, checked.bytes.byteOffset, checked.bytes.byteLength))
    return checked
  }

  /**
   * `region` holds whole lines only, each ending in a newline. The scan reads a latin1 view of the bytes:
   * one char per byte, so positions match, and newlines, braces and the markers (all ASCII, never part
   * of a multi-byte UTF-8 sequence) read the same. A string search per line stays in compiled code,
   * where a Buffer indexOf or compare per line crossed into C++ twice per token.
   */
  private checkRegion(region: Buffer): Checked {
    if (this.sawDone || !isUtf8(region)) return this.checkLineByLine(region)
    const text = region.toString('latin1')
    let count = 0
    for (let start = 0; start < text.length;) {
      const nl = text.indexOf('\n', start)
      const length = nl - start
      if (length > this.maxLineBytes) throw this.tooLong()
      const isPlain =
        length >= 2 &&
        text.charCodeAt(start) === OPEN_BRACE &&
        text.charCodeAt(nl - 1) === CLOSE_BRACE &&
        // A newline is not in the head, so a match never runs past this line.
        !text.startsWith(ERROR_HEAD, start)
      if (!isPlain) return this.checkLineByLine(region)
      count++
      start = nl + 1
    }
    const final = this.finalLine(region, text)
    if (final !== null && final.end < region.length) return this.checkLineByLine(region)
    this.lines += count
    if (final !== null) this.sawDone = true
    return { bytes: region, error: null }
  }

  /** The line holding a top-level done:true (or pull's status success), confirmed by parsing that line. */
  private finalLine(region: Buffer, text: string): { end: number } | null {
    for (const marker of this.finalMarkers) {
      for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
        if (text.charCodeAt(at - 1) === BACKSLASH) continue
        const start = text.lastIndexOf('\n', at) + 1
        const end = text.indexOf('\n', at) + 1
        if (isFinal(parseObject(region.toString('utf8', start, end - 1)))) return { end }
      }
    }
    return null
  }

  /** The exact path: each line decoded and parsed here; the good lines before a bad one go on. */
  private checkLineByLine(region: Buffer): Checked {
    const kept: string[] = []
    const result = (error: GenerationError | null): Checked => ({
      bytes: kept.length > 0 ? Buffer.from(`${kept.join('\n')}\n`, 'utf8') : null,
      error,
    })
    for (let start = 0; start < region.length;) {
      const nl = region.indexOf(NEWLINE, start)
      const line = region.subarray(start, nl)
      start = nl + 1
      if (line.length > this.maxLineBytes) throw this.tooLong()
      const n = this.lines + 1
      const started = this.lines > 0
      if (!isUtf8(line)) return result(failure('malformed', `line ${n} is not valid UTF-8`, started))
      const text = line.toString('utf8', 0, line[line.length - 1] === CR ? line.length - 1 : line.length)
      if (text.trim() === '') continue
      const value = parseObject(text)
      if (value === undefined)
        return result(failure('malformed', `line ${n} is not JSON: ${text.slice(0, 120)}`, started))
      if (value === null) return result(failure('malformed', `line ${n} is not a JSON object`, started))
      if ('error' in value)
        return result(
          failure('model-error', `server error mid-stream: ${String(value.error).slice(0, 500)}`, started),
        )
      // ollama-js stops reading at the final line; anything after it would be lost without a word.
      if (this.sawDone) return result(failure('malformed', `line ${n} follows the final line`, started))
      if (isFinal(value)) this.sawDone = true
      this.lines++
      kept.push(text)
    }
    return result(null)
  }

  private tooLong(): GenerationError {
    return failure('too-large', `line longer than ${this.maxLineBytes} bytes`, this.lines > 0)
  }
}

/** The object on a line; null for JSON that is not an object, undefined for text that is not JSON. */
function parseObject(text: string): Record<string, unknown> | null | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

function isFinal(value: Record<string, unknown> | null | undefined): boolean {
  return value !== null && value !== undefined && (value.done === true || value.status === 'success')
}
