// Reads a file as a stream of bounded chunks: the only way the text formats touch the disk, so that no
// file is ever read whole and an abort closes the file at once.
import { createReadStream } from 'node:fs'

export const chunkBytes = 64 * 1024

export async function* readChunks(
  path: string,
  signal: AbortSignal | undefined,
  onProgress: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  signal?.throwIfAborted()
  // The stream's own signal interrupts a pending read; the checks below catch an abort between chunks.
  const stream = createReadStream(path, { highWaterMark: chunkBytes, ...(signal ? { signal } : {}) })
  let bytesRead = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted()
      bytesRead += chunk.length
      onProgress?.(bytesRead)
      yield chunk
    }
  } finally {
    // Runs on early return (consumer stopped), on error and on abort. Waiting for 'close' means the
    // descriptor is released by the time the caller's loop has ended, not some ticks later.
    stream.destroy()
    // Not events.once: it would reject on the 'error' an early exit emits and turn a break into a throw.
    if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()))
  }
}
