// Puts one file into Ollama's blob store: HEAD to skip a blob the server already has (a base model's
// layers, or a retry after a failure), else POST the file as a stream. Ollama hashes what it receives and
// refuses a body whose digest differs from the one in the path, so a file that changed after it was hashed
// is never registered under the wrong name.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { AppFailure } from '@shared/ipc/result'
import { callOllama, serverMessage } from './ollama-http'

export interface BlobTarget {
  name: string
  path: string
  /** `sha256:<hex>`, computed from the file before upload. */
  digest: string
}

/** Returns whether the file was sent (false: the server already had the blob). */
export async function ensureBlob(host: string, blob: BlobTarget, signal?: AbortSignal): Promise<boolean> {
  const url = `/api/blobs/${blob.digest}`
  const head = await callOllama(host, url, { method: 'HEAD', signal }, `checking ${blob.name}`)
  if (head.status === 200) return false
  if (head.status !== 404)
    throw new AppFailure(
      'unavailable',
      `Ollama at ${host} answered HTTP ${head.status} when asked whether it has ${blob.name}; ` +
        'check that this address is an Ollama server, then register again.',
    )
  // A stream, not a buffer: the file is read in 1 MiB pieces as the socket takes them.
  const body = Readable.toWeb(createReadStream(blob.path, { highWaterMark: 1 << 20 }))
  const response = await callOllama(
    host,
    url,
    {
      method: 'POST',
      body: body as ReadableStream<Uint8Array>,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream' },
      signal,
    },
    `uploading ${blob.name}`,
  )
  if (response.ok) {
    await response.body?.cancel()
    return true
  }
  const message = await serverMessage(response)
  if (/digest mismatch/i.test(message))
    throw new AppFailure(
      'conflict',
      `Ollama received different bytes for ${blob.name} than Winnow hashed (${message}). The file changed ` +
        'while it was being uploaded, or the transfer was corrupted: make sure the trainer has finished ' +
        'writing it, then register again.',
    )
  throw new AppFailure(
    response.status >= 500 ? 'unavailable' : 'invalid-payload',
    `Ollama refused ${blob.name}: ${message}`,
  )
}
