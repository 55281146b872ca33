// Streams the lines of a segment file, plain (from a byte offset, via positional reads) or gzip'd, as
// Buffers with their byte offsets, so callers can check checksums on raw bytes and truncate exactly.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { createGunzip, type ZlibOptions } from 'node:zlib'

export interface Line {
  bytes: Buffer
  /** Offset of the line's first byte in the (uncompressed) file. */
  offset: number
  /** False for a final piece with no newline: a torn write. */
  complete: boolean
}

const CHUNK = 256 * 1024
/** Inflated bytes a .gz read may hold ahead of its reader. */
const GUNZIP_AHEAD = 4 * 1024 * 1024

/** Bytes [start, end) of a plain file, or to its end when `end` is omitted. */
export async function* plainChunks(path: string, start = 0, end = Infinity): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r')
  try {
    let position = start
    while (position < end) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - position))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

/** The decompressed bytes of a .gz file; a damaged file throws after yielding what it could. */
export async function* gzipChunks(path: string): AsyncGenerator<Buffer> {
  // Inflating runs on the thread pool: with room to work ahead (Node's default is 16 KiB out, one piece at a
  // time) it goes on while this thread checks and parses the lines, instead of waiting for each read.
  // Stream options go to the Transform under Node's zlib streams; @types/node's ZlibOptions leaves them out.
  const options: ZlibOptions & { highWaterMark: number } = { chunkSize: CHUNK, highWaterMark: GUNZIP_AHEAD }
  const gunzip = createGunzip(options)
  // pipeline (not pipe) so a read error on the file also surfaces as an error on the iterator.
  pipeline(createReadStream(path, { highWaterMark: CHUNK }), gunzip, () => undefined)
  for await (const chunk of gunzip) yield chunk as Buffer
}

export async function* splitLines(chunks: AsyncIterable<Buffer>, startOffset = 0): AsyncGenerator<Line> {
  let pieces: Buffer[] = []
  let pieceBytes = 0
  let offset = startOffset
  for await (const chunk of chunks) {
    let from = 0
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      const tail = chunk.subarray(from, nl)
      // Joining only when a line spans chunks keeps long lines linear, not quadratic.
      const bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail])
      pieces = []
      pieceBytes = 0
      yield { bytes, offset, complete: true }
      offset += bytes.length + 1
      from = nl + 1
    }
    if (from < chunk.length) {
      pieces.push(chunk.subarray(from))
      pieceBytes += chunk.length - from
    }
  }
  if (pieceBytes > 0) yield { bytes: Buffer.concat(pieces), offset, complete: false }
}
