// SHA-256 of a file read as a stream: a model file can be many gigabytes, so it is never read whole into
// memory. Ollama names blobs by this digest and checks it again on upload.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export interface FileDigest {
  /** `sha256:<64 lowercase hex>`, the form Ollama's blob and create APIs take. */
  digest: string
  size: number
}

export async function digestFile(path: string, signal?: AbortSignal): Promise<FileDigest> {
  const hash = createHash('sha256')
  let size = 0
  // 1 MiB reads: fewer wake-ups than the 64 KiB default on multi-gigabyte files, still bounded memory.
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    size += chunk.length
  }
  return { digest: `sha256:${hash.digest('hex')}`, size }
}
