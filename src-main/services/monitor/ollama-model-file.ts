// Exact held-out perplexity needs the model's weights in the embedded engine (Ollama's API gives no
// likelihood of a given text). A model Ollama pulled or created on this machine is a GGUF blob on disk, and
// /api/show's Modelfile names it (`FROM /…/.ollama/models/blobs/sha256-…`): when that file is here and is a
// GGUF, the monitor scores the references with it. Only for a loopback host: a remote server's path means
// nothing on this machine, and a file that merely shares the path would be the wrong model.
import { open } from 'node:fs/promises'
import { isLoopbackHost } from '../generation/loopback-host'

export interface ModelShowSource {
  show(model: string, signal?: AbortSignal): Promise<{ modelFile: string | null }>
}

const GGUF_MAGIC = 'GGUF'

/** The GGUF file behind an Ollama model on this machine, or null when there is none to read here. */
export async function localOllamaGguf(
  engine: ModelShowSource,
  host: string,
  model: string,
  signal?: AbortSignal,
): Promise<string | null> {
  if (!isLoopbackHost(host)) return null
  // Absolute or null already: modelfileSource names only a file given by an absolute path.
  const { modelFile } = await engine.show(model, signal)
  return modelFile !== null && (await startsWithGgufMagic(modelFile)) ? modelFile : null
}

async function startsWithGgufMagic(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'r')
    try {
      const { bytesRead, buffer } = await file.read(Buffer.alloc(4), 0, 4, 0)
      return bytesRead === 4 && buffer.toString('latin1') === GGUF_MAGIC
    } finally {
      await file.close()
    }
  } catch {
    return false // not there, not readable, or a folder: nothing to score with here
  }
}
