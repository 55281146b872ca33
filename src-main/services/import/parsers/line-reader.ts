// Splits a file into physical lines at the byte level (on \n), so a multi-byte character split across
// chunks stays whole and a line longer than the limit is measured but never buffered.
import { readChunks } from './file-chunks'

export interface RawLine {
  /** 1-based physical line number. */
  line: number
  /** Offset of the line's first byte (after the BOM on line 1). */
  byteOffset: number
  /** The line without its \n or \r\n; null when it was longer than maxLineBytes (content dropped). */
  bytes: Buffer | null
  /** Length in bytes without the terminator, also for an over-long line. */
  size: number
  /** Whether the line ended in \r\n: CSV keeps the exact newline inside a quoted field. */
  crlf: boolean
}

export interface LineReaderOptions {
  maxLineBytes: number
  signal: AbortSignal | undefined
  onProgress: ((bytesRead: number) => void) | undefined
}

const empty = Buffer.alloc(0)

/** Yields the lines of each chunk as one batch: one await per 64 KiB instead of one per line. */
export async function* readLineBatches(path: string, options: LineReaderOptions): AsyncGenerator<RawLine[]> {
  const { maxLineBytes } = options
  let lineNo = 1
  let lineStart = 0
  let chunkStart = 0
  let parts: Buffer[] = []
  let size = 0
  let isOversize = false

  const finish = (): RawLine => {
    let bytes: Buffer | null = null
    let byteOffset = lineStart
    let length = size
    let crlf = false
    if (!isOversize) {
      bytes = parts.length === 0 ? empty : parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)
      if (lineNo === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3)
        byteOffset += 3
        length -= 3
      }
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) {
        bytes = bytes.subarray(0, bytes.length - 1)
        length--
        crlf = true
      }
      // The \r allowance below may leave a line one byte over the limit once it turns out not to be \r\n.
      if (length > maxLineBytes) bytes = null
    }
    const line: RawLine = { line: lineNo, byteOffset, bytes, size: length, crlf }
    lineNo++
    parts = []
    size = 0
    isOversize = false
    return line
  }

  for await (const chunk of readChunks(path, options.signal, options.onProgress)) {
    const batch: RawLine[] = []
    let start = 0
    for (;;) {
      const newline = chunk.indexOf(10, start)
      const end = newline === -1 ? chunk.length : newline
      const length = end - start
      if (!isOversize) {
        // +1 leaves room for a \r that belongs to the terminator, not the content.
        if (size + length > maxLineBytes + 1) {
          isOversize = true
          parts = []
        } else if (length > 0) parts.push(chunk.subarray(start, end))
      }
      size += length
      if (newline === -1) break
      batch.push(finish())
      start = newline + 1
      lineStart = chunkStart + start
    }
    chunkStart += chunk.length
    if (batch.length > 0) yield batch
  }
  // A last line without a newline is still a line; an empty tail after the final \n is not.
  if (size > 0 || isOversize) yield [finish()]
}
