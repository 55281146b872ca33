// A generation request for tests: a small grid against a given Ollama host, everything else at sensible values.
import type { GenerationSpec } from '@shared/domain/generation-spec'

export function generationSpecFor(host: string, overrides: Partial<GenerationSpec> = {}): GenerationSpec {
  return {
    sampleIds: null,
    template: {
      id: 'paraphrase',
      name: 'Paraphrase',
      description: 'Same meaning, new wording.',
      mode: 'chat',
      system: 'Reply with the rewritten text only.',
      template: 'Paraphrase the text below.\n\nText:\n{{text}}',
    },
    models: [
      { engine: 'ollama', host, model: 'llama3.2:1b' },
      { engine: 'ollama', host, model: 'qwen2.5:0.5b' },
    ],
    temperatures: [0.7, 1],
    candidatesPerCell: 3,
    baseSeed: 42,
    topP: null,
    topK: null,
    maxTokens: 64,
    stop: [],
    logprobsTopK: 3,
    think: false,
    concurrency: 2,
    allowRemoteHost: false,
    ...overrides,
  }
}
