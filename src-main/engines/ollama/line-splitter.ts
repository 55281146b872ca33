// Splits a byte stream into lines in linear time with a hard cap on line length, so a newline-free
// giant line fails fast instead of costing quadratic CPU in a string-concatenating parser.

export class LineTooLongError extends Error {}

export class LineSplitter {
  private pending: Uint8Array[] = []
  private pendingLength = 0

  constructor(private readonly maxLineBytes: number) {}

  /** Complete lines (without the newline) found in this chunk. */
  push(chunk: Uint8Array): Uint8Array[] {
    const lines: Uint8Array[] = []
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl)
      if (this.pendingLength + piece.length > this.maxLineBytes)
        throw new LineTooLongError(`line longer than ${this.maxLineBytes} bytes`)
      if (nl === -1) {
        if (piece.length > 0) {
          this.pending.push(piece)
          this.pendingLength += piece.length
        }
        return lines
      }
      lines.push(this.take(piece))
      start = nl + 1
    }
  }

  /** The unterminated last line, if any. */
  finish(): Uint8Array | null {
    return this.pendingLength > 0 ? this.take(new Uint8Array(0)) : null
  }

  private take(last: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.pendingLength + last.length)
    let at = 0
    for (const p of this.pending) {
      out.set(p, at)
      at += p.length
    }
    out.set(last, at)
    this.pending = []
    this.pendingLength = 0
    return out
  }
}
