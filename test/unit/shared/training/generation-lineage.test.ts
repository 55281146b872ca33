// Reading a lineage back from the registered generations: to the root, each step with its parent; refused
// when a parent is missing, when the records loop, or when a child's base model digest is not its parent's
// model file (from the parent's own outputs, or a digest known for a hand-registered base).
import { describe, expect, it } from 'vitest'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import { lineageOf } from '@shared/training/generation-lineage'

const digest = (c: string) => c.repeat(64)
const base: ModelGenerationRecord = {
  id: 'g0',
  generation: 0,
  parentId: null,
  label: 'tiny',
  engine: 'llamacpp',
  ggufPath: '/m/base.gguf',
  ollama: null,
  trainingSnapshotId: null,
  createdAt: '2026-01-01T00:00:00Z',
}
const trained = (
  id: string,
  generation: number,
  parentId: string,
  from: string,
  out: string,
): ModelGenerationRecord => ({
  ...base,
  id,
  generation,
  parentId,
  label: `tiny · g${generation}`,
  ggufPath: `/runs/${id}/model.gguf`,
  trainingSnapshotId: 'snap',
  training: {
    runId: `run-${id}`,
    recipeId: 'llamacpp-finetune',
    hyperparameters: { epochs: 2 },
    baseModel: { path: 'x', sha256: digest(from) },
    outputs: [{ name: 'model.gguf', path: `/runs/${id}/model.gguf`, bytes: 1, sha256: digest(out) }],
  },
})

describe('lineageOf', () => {
  const g1 = trained('g1', 1, 'g0', 'a', 'b')
  const g2 = trained('g2', 2, 'g1', 'b', 'c')

  it('walks from a generation to its root, checking each link by digest', () => {
    const steps = lineageOf([g2, base, g1], 'g2', new Map([['g0', digest('a')]]))
    expect(steps.map((s) => [s.generation.id, s.parent?.id ?? null])).toEqual([
      ['g2', 'g1'],
      ['g1', 'g0'],
      ['g0', null],
    ])
  })

  it('refuses a missing parent, a loop, and a child not trained from its parent’s file', () => {
    expect(() => lineageOf([g2, base], 'g2')).toThrow(/parent of generation 2 .* is not registered/)
    expect(() => lineageOf([base], 'nope')).toThrow(/nope is not registered/)
    const a = { ...g1, parentId: 'g2', training: undefined }
    const b = { ...g2, parentId: 'g1', training: undefined }
    expect(() => lineageOf([a, b], 'g2')).toThrow(/loops back/)
    const forked = trained('g2', 2, 'g1', 'f', 'c')
    expect(() => lineageOf([base, g1, forked], 'g2')).toThrow(/not trained from generation 1's model file/)
    expect(() => lineageOf([base, g1], 'g1', new Map([['g0', digest('e')]]))).toThrow(
      /not trained from generation 0/,
    )
  })
})
