// Which registered model generation a generation target runs: the embedded engine's GGUF file by path, an
// Ollama model by name (`:latest` is the name without a tag). A model registered more than once (a GGUF
// also registered in Ollama) is the latest registration; a model never registered is none — its candidates
// count as generation 0, the base the lineage starts from.
import type { ModelGenerationRecord } from '../domain/monitor'
import type { ModelTarget } from '../domain/generation-spec'

const ollamaName = (name: string): string => name.replace(/:latest$/u, '')
const sameHost = (a: string, b: string): boolean => a.replace(/\/+$/u, '') === b.replace(/\/+$/u, '')

export function generationOfModel(
  generations: Iterable<ModelGenerationRecord>,
  target: ModelTarget,
): ModelGenerationRecord | null {
  let found: ModelGenerationRecord | null = null
  for (const generation of generations) {
    const isMatch =
      target.engine === 'llamacpp'
        ? generation.ggufPath === target.modelPath
        : generation.ollama !== null &&
          ollamaName(generation.ollama.name) === ollamaName(target.model) &&
          sameHost(generation.ollama.host, target.host)
    if (isMatch && (found === null || generation.createdAt >= found.createdAt)) found = generation
  }
  return found
}
