// The CSV/TSV field state machine for one record, fed one physical line at a time. It only splits; the
// driver (csv.ts) decides what a failure costs and where parsing restarts.

const QUOTE = 0x22

export type Step =
  | { kind: 'complete' }
  /** The line ended inside a quoted field: the record continues on the next line. */
  | { kind: 'open' }
  /** A closing quote followed by something other than the delimiter or the end of the line. */
  | { kind: 'bad-quote'; found: string; column: number; quoteLine: number }

const complete: Step = { kind: 'complete' }
const open: Step = { kind: 'open' }

export class RecordBuilder {
  readonly fields: string[] = []
  /** Bytes (UTF-8) of the quoted field being read, counted as it grows across lines. */
  quotedBytes = 0
  /** Line on which the quoted field being read opened. */
  quoteLine = 0
  #isQuoted = false
  #current = ''
  readonly #delimiter: string
  readonly #delimiterCode: number

  constructor(delimiter: string) {
    this.#delimiter = delimiter
    this.#delimiterCode = delimiter.charCodeAt(0)
  }

  /** Call before feeding the next line when the previous one returned 'open'. */
  newline(isCrlf: boolean): void {
    this.#append(isCrlf ? '\r\n' : '\n')
  }

  feed(text: string, line: number): Step {
    const n = text.length
    let i = 0
    for (;;) {
      if (!this.#isQuoted) {
        if (text.charCodeAt(i) === QUOTE) {
          this.#isQuoted = true
          this.#current = ''
          this.quotedBytes = 0
          this.quoteLine = line
          i++
        } else {
          // Unquoted: a quote later in the field is taken literally (5'10" and the like are common).
          const end = text.indexOf(this.#delimiter, i)
          if (end === -1) {
            this.fields.push(text.slice(i))
            return complete
          }
          this.fields.push(text.slice(i, end))
          i = end + 1
          continue
        }
      }
      const quote = text.indexOf('"', i)
      if (quote === -1) {
        this.#append(text.slice(i))
        return open
      }
      this.#append(text.slice(i, quote))
      const next = text.charCodeAt(quote + 1)
      if (next === QUOTE) {
        this.#append('"')
        i = quote + 2
        continue
      }
      this.#isQuoted = false
      this.fields.push(this.#current)
      this.#current = ''
      if (quote + 1 >= n) return complete
      if (next !== this.#delimiterCode) {
        const found = String.fromCodePoint(text.codePointAt(quote + 1)!)
        return { kind: 'bad-quote', found, column: this.fields.length, quoteLine: this.quoteLine }
      }
      i = quote + 2
    }
  }

  #append(part: string): void {
    if (part.length === 0) return
    this.#current += part
    this.quotedBytes += Buffer.byteLength(part, 'utf8')
  }
}
