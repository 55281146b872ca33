// The byte-level scanner behind the JSON array parser: finds each top-level element's span by tracking
// strings, escapes and brackets. A plain class (no generator in the hot loop) so the engine can optimise
// it; it reports events and the driver (json-array.ts) turns them into records and errors.
import type { Location } from './types'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const NEWLINE = 0x0a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

function describeByte(b: number): string {
  if (b === OPEN_OBJECT) return 'an object (is this JSON Lines?)'
  if (b >= 0x21 && b <= 0x7e) return JSON.stringify(String.fromCharCode(b))
  // FF FE / FE FF open a UTF-16 file, which is worth naming rather than calling it a stray byte.
  const hint = b === 0xff || b === 0xfe ? ' (is the file UTF-16?)' : ''
  return `byte 0x${b.toString(16).padStart(2, '0')}${hint}`
}

export type ScanEvent =
  /** The current element ends; its bytes are in `parts` unless it was over the size limit. */
  | { kind: 'element' }
  | { kind: 'error'; location: Location; reason: string; isFatal: boolean }
  | { kind: 'chunk-end' }

const chunkEnd: ScanEvent = { kind: 'chunk-end' }
const elementEnd: ScanEvent = { kind: 'element' }

export class ArrayScanner {
  phase: 'start' | 'before' | 'element' | 'resync' | 'done' = 'start'
  /** The element being scanned. */
  location: Location = { line: 0, byteOffset: 0 }
  parts: Buffer[] = []
  size = 0
  isOversize = false
  isTooDeep = false
  isInString = false

  #isAfterComma = false
  #line = 1
  #lineStart = 0
  #chunk: Buffer = Buffer.alloc(0)
  #chunkStart = 0
  #pos = 0
  #partStart = 0
  #isEscaped = false
  // Openers of the element's containers; beyond maxDepth only counted (the element is rejected anyway).
  #stack: number[] = []
  #extraDepth = 0
  #elementLineStart = 0
  // After a line break inside a string: skip to a line that starts at or left of the broken element's column.
  #resyncColumn = 0
  #isAtLineStart = false

  constructor(
    private readonly maxDepth: number,
    private readonly maxElementBytes: number,
  ) {}

  beginChunk(chunk: Buffer): void {
    this.#chunk = chunk
    this.#pos = this.#chunkStart === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0
    this.#partStart = this.#pos
  }

  endChunk(): void {
    if (this.phase === 'element') this.#keep(this.#chunk.subarray(this.#partStart))
    this.#chunkStart += this.#chunk.length
  }

  /** Where the file ended, for errors about a missing "]". */
  get end(): Location {
    return { line: this.#line, byteOffset: this.#chunkStart }
  }

  get isElementOpen(): boolean {
    return this.isInString || this.#stack.length > 0 || this.#extraDepth > 0
  }

  #keep(part: Buffer): void {
    this.size += part.length
    if (this.isOversize) return
    if (this.size > this.maxElementBytes) {
      this.isOversize = true
      this.parts = []
    } else if (part.length > 0) this.parts.push(part)
  }

  #here(i: number): Location {
    return { line: this.#line, byteOffset: this.#chunkStart + i }
  }

  #endElement(i: number, next: 'before' | 'done'): ScanEvent {
    this.#keep(this.#chunk.subarray(this.#partStart, i))
    this.phase = next
    this.#isAfterComma = next === 'before'
    this.#pos = i + 1
    return elementEnd
  }

  /** Scans on from where it stopped; returns at each event and at the end of the chunk. */
  advance(): ScanEvent {
    const chunk = this.#chunk
    const n = chunk.length
    for (let i = this.#pos; i < n; i++) {
      const b = chunk[i]!
      if (b === NEWLINE) {
        this.#line++
        this.#lineStart = this.#chunkStart + i + 1
      }
      if (this.phase === 'element') {
        if (this.isInString) {
          if (this.#isEscaped) this.#isEscaped = false
          else if (b === BACKSLASH) this.#isEscaped = true
          else if (b === QUOTE) this.isInString = false
          else if (b === NEWLINE) {
            // A line break cannot be inside a JSON string, and from here quotes may pair up wrongly for the
            // rest of the element: reject it and resync on a later line indented no deeper than it was.
            this.parts = []
            this.phase = 'resync'
            this.#resyncColumn = this.location.byteOffset - this.#elementLineStart
            this.#isAtLineStart = true
            this.#pos = i + 1
            const reason = 'malformed JSON: unterminated string (a line break inside it)'
            return { kind: 'error', location: this.location, reason, isFatal: false }
          } else {
            // Most of a file is string content: skip ordinary bytes in a tight loop.
            let j = i + 1
            while (j < n) {
              const c = chunk[j]!
              if (c === QUOTE || c === BACKSLASH || c === NEWLINE) break
              j++
            }
            i = j - 1
          }
          continue
        }
        if (b === QUOTE) this.isInString = true
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          if (this.#stack.length < this.maxDepth) this.#stack.push(b)
          else {
            this.#extraDepth++
            this.isTooDeep = true
          }
        } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (this.#extraDepth > 0) {
            this.#extraDepth--
            continue
          }
          const at = this.#stack.lastIndexOf(b === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)
          // A mismatched closer closes everything opened since its opener (the usual missing-bracket repair).
          if (at >= 0) this.#stack.length = at
          // No "[" open in the element: this closes the top-level array, and the element with it.
          else if (b === CLOSE_ARRAY) return this.#endElement(i, 'done')
          // A stray "}" stays in the element's text, where JSON.parse rejects it.
        } else if (b === COMMA && this.#stack.length === 0) return this.#endElement(i, 'before')
        continue
      }
      if (this.phase === 'resync') {
        if (b === NEWLINE) this.#isAtLineStart = true
        if (!this.#isAtLineStart || isJsonSpace(b)) continue
        this.#isAtLineStart = false
        if (this.#chunkStart + i - this.#lineStart > this.#resyncColumn) continue
        if (b === CLOSE_ARRAY) this.phase = 'done'
        else if (b === COMMA) {
          this.phase = 'before'
          this.#isAfterComma = true
          continue
        } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.phase = 'before'
        if (this.phase !== 'before') continue
      }
      if (isJsonSpace(b)) continue
      if (this.phase === 'before') {
        if (b === CLOSE_ARRAY || b === COMMA) {
          const wasAfterComma = this.#isAfterComma
          if (b === CLOSE_ARRAY) this.phase = 'done'
          this.#isAfterComma = b === COMMA
          // [1,,2] and [1,] are not JSON; say so at the spot rather than skip it silently.
          if (b === COMMA || wasAfterComma) {
            this.#pos = i + 1
            return { kind: 'error', location: this.#here(i), reason: 'empty array element', isFatal: false }
          }
          continue
        }
        this.#startElement(i)
        i-- // scan this byte again, as the element's first
        continue
      }
      if (this.phase === 'start' && b === OPEN_ARRAY) {
        this.phase = 'before'
        continue
      }
      const reason =
        this.phase === 'start'
          ? `expected a JSON array at the top level, found ${describeByte(b)}`
          : `unexpected ${describeByte(b)} after the end of the top-level array`
      return { kind: 'error', location: this.#here(i), reason, isFatal: true }
    }
    this.#pos = n
    return chunkEnd
  }

  #startElement(i: number): void {
    this.phase = 'element'
    this.location = this.#here(i)
    this.#elementLineStart = this.#lineStart
    this.parts = []
    this.size = 0
    this.isOversize = this.isTooDeep = this.isInString = this.#isEscaped = false
    this.#stack = []
    this.#extraDepth = 0
    this.#partStart = i
  }
}
