// Which registered generation a candidate's model is: GGUF files by path, Ollama models by name and host
// (`:latest` being the untagged name), the latest registration when there are several, none otherwise.
import { describe, expect, it } from 'vitest'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import { generationOfModel } from '@shared/training/generation-of-model'

const record = (
  id: string,
  generation: number,
  where: Partial<Pick<ModelGenerationRecord, 'ggufPath' | 'ollama'>>,
  createdAt = `2026-01-0${generation + 1}T00:00:00Z`,
): ModelGenerationRecord => ({
  id,
  generation,
  parentId: generation === 0 ? null : 'g0',
  label: id,
  engine: where.ollama ? 'ollama' : 'llamacpp',
  ggufPath: where.ggufPath ?? null,
  ollama: where.ollama ?? null,
  trainingSnapshotId: null,
  createdAt,
})

const host = 'http://127.0.0.1:11434'
const generations = [
  record('g0', 0, { ggufPath: '/models/base.gguf' }),
  record('g1', 1, { ggufPath: '/runs/r1/model.gguf', ollama: { host, name: 'base-winnow-g1' } }),
  record('g1-again', 1, { ggufPath: '/runs/r1/model.gguf' }, '2026-03-01T00:00:00Z'),
  record('g2', 2, { ollama: { host: `${host}/`, name: 'base-winnow-g2:latest' } }),
]

describe('generationOfModel', () => {
  it('finds embedded models by path, the latest registration first', () => {
    const llama = (modelPath: string) => ({ engine: 'llamacpp' as const, modelPath, model: 'm' })
    expect(generationOfModel(generations, llama('/models/base.gguf'))?.id).toBe('g0')
    expect(generationOfModel(generations, llama('/runs/r1/model.gguf'))?.id).toBe('g1-again')
    expect(generationOfModel(generations, llama('/models/other.gguf'))).toBeNull()
  })

  it('finds Ollama models by name and host, with or without :latest', () => {
    const ollama = (model: string, on = host) => ({ engine: 'ollama' as const, host: on, model })
    expect(generationOfModel(generations, ollama('base-winnow-g1:latest'))?.id).toBe('g1')
    expect(generationOfModel(generations, ollama('base-winnow-g2'))?.id).toBe('g2')
    expect(generationOfModel(generations, ollama('base-winnow-g1', 'http://10.0.0.2:11434'))).toBeNull()
    expect(generationOfModel(generations, ollama('llama3.2:1b'))).toBeNull()
    expect(generationOfModel([], ollama('base-winnow-g1'))).toBeNull()
  })
})
