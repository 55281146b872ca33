// The embedded (llama.cpp) models: one cached engine per GGUF file, shared by generation and inspection,
// and the file's metadata for the Models screen. Engines load lazily and are all closed with the app.
import { basename, isAbsolute } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import { GenerationError } from '../../engines/engine'
import { LlamaCppEngine } from '../../engines/llamacpp/llamacpp-engine'

export interface GgufInfo {
  name: string
  path: string
  architecture: string | null
  parameterCount: number | null
  contextLength: number
  vocabularySize: number
  fileSizeBytes: number
  digest: string
}

export class EmbeddedModels {
  readonly #engines = new Map<string, LlamaCppEngine>()

  engineFor(modelPath: string): LlamaCppEngine {
    let engine = this.#engines.get(modelPath)
    if (!engine) this.#engines.set(modelPath, (engine = new LlamaCppEngine({ modelPath, threads: 1 })))
    return engine
  }

  async inspect(path: string): Promise<GgufInfo> {
    if (!isAbsolute(path)) throw new AppFailure('invalid-payload', `${path} is not an absolute path.`)
    try {
      const info = await this.engineFor(path).modelInfo()
      return {
        name: basename(info.path),
        path: info.path,
        architecture: info.architecture,
        parameterCount: info.parameterCount,
        contextLength: info.contextLength,
        vocabularySize: info.vocabularySize,
        fileSizeBytes: info.fileSizeBytes,
        digest: `sha256:${info.sha256}`,
      }
    } catch (error) {
      // A file that failed to load is not kept: the next try starts afresh.
      await this.#drop(path)
      if (error instanceof GenerationError && error.kind === 'not-found')
        throw new AppFailure('not-found', `There is no model file at ${path}.`)
      const reason = error instanceof Error ? error.message : String(error)
      throw new AppFailure('unavailable', `${basename(path)} could not be loaded as a GGUF model: ${reason}`)
    }
  }

  async close(): Promise<void> {
    const engines = [...this.#engines.values()]
    this.#engines.clear()
    await Promise.all(engines.map((engine) => engine.close()))
  }

  async #drop(path: string): Promise<void> {
    const engine = this.#engines.get(path)
    this.#engines.delete(path)
    await engine?.close()
  }
}
