// Splits inline <think>…</think> blocks out of streamed text, so a reasoning trace that a model writes
// into its answer is kept apart from the answer even when a tag is cut across two chunks.

const OPEN = '<think>'
const CLOSE = '</think>'

export interface SplitPiece {
  text: string
  thinking: string
}

export class ThinkSplitter {
  private inside = false
  /** A tail that may be the start of a tag; held until the next chunk decides. */
  private held = ''

  push(chunk: string): SplitPiece {
    // Almost every streamed token: nothing held and no '<' that could start a tag, so the chunk goes
    // whole to the side it is on (no slices, no search for a partial tag).
    if (this.held === '' && !chunk.includes('<'))
      return this.inside ? { text: '', thinking: chunk } : { text: chunk, thinking: '' }
    const out: SplitPiece = { text: '', thinking: '' }
    let rest = this.held + chunk
    this.held = ''
    while (rest.length > 0) {
      const tag = this.inside ? CLOSE : OPEN
      const at = rest.indexOf(tag)
      if (at >= 0) {
        this.emit(out, rest.slice(0, at))
        rest = rest.slice(at + tag.length)
        this.inside = !this.inside
        continue
      }
      const keep = partialTagSuffix(rest, tag)
      this.emit(out, rest.slice(0, rest.length - keep))
      this.held = rest.slice(rest.length - keep)
      break
    }
    return out
  }

  /** End of stream: a held partial tag is plain content; an unclosed block stays thinking. */
  flush(): SplitPiece {
    const out: SplitPiece = { text: '', thinking: '' }
    this.emit(out, this.held)
    this.held = ''
    return out
  }

  private emit(out: SplitPiece, s: string): void {
    if (this.inside) out.thinking += s
    else out.text += s
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialTagSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n
  }
  return 0
}
