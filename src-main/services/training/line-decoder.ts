// Turns a byte stream into lines for the progress parsers: UTF-8 characters and lines may be split across
// chunks, and progress bars redraw with a bare \r, so \n, \r\n and \r all end a line.

/** A line longer than this is cut: a trainer that never prints a newline must not grow memory. */
export const maxLineChars = 64 * 1024

export class LineDecoder {
  // Replacement characters are acceptable here: these lines are shown and scanned, never stored as data.
  readonly #decoder = new TextDecoder('utf-8')
  #pending = ''

  /** Returns the lines completed by `chunk`, without their terminators; empty lines are dropped. */
  push(chunk: Uint8Array): string[] {
    return this.#split(this.#pending + this.#decoder.decode(chunk, { stream: true }))
  }

  /** Flushes what is left at the end of the stream. */
  end(): string[] {
    const rest = this.#pending + this.#decoder.decode()
    this.#pending = ''
    return rest.length > 0 ? [rest] : []
  }

  #split(text: string): string[] {
    const parts = text.split(/\r\n|\r|\n/)
    // A \r at the very end may be the first half of \r\n; either way the line before it is complete.
    this.#pending = parts.pop() ?? ''
    const lines = parts.filter((line) => line.length > 0)
    while (this.#pending.length > maxLineChars) {
      lines.push(this.#pending.slice(0, maxLineChars))
      this.#pending = this.#pending.slice(maxLineChars)
    }
    return lines
  }
}
