// Collapse-monitor test data through the real services: human samples appended as an import would append
// them, and the stories260K-style texts the probes and the reference are made of.
import { randomUUID } from 'node:crypto'
import type { AppServices } from '../../src-main/services/app-services'
import type { SampleRecord } from '@shared/domain/sample'
import { makeSample } from './log-events'

/** Appends one import batch of human-written texts; answers the samples in order. */
export async function seedHumanSamples(
  services: AppServices,
  projectId: string,
  texts: readonly string[],
): Promise<SampleRecord[]> {
  const batchId = randomUUID()
  const first = (await services.registry.state(projectId)).nextOrd
  const samples = texts.map((text, i) => makeSample(first + i, batchId, 'human', text))
  await services.registry.append(projectId, [{ kind: 'samples.imported', data: { batchId, samples } }])
  return samples
}

/** Short story openings and human-written TinyStories-style sentences: what stories260K can continue. */
export const storyPrompts = [
  'Once upon a time',
  'One day, a little girl',
  'Tom and his mom',
  'The cat saw a big',
  'Lily wanted to play',
]

export const storyReferences = [
  'Once upon a time, there was a little dog named Max. Max liked to run in the green grass.',
  'One day, Sam found a small blue box under a tree. He opened it and found a shiny red ball.',
  'Lily and her mom went to the park. They saw a big duck in the pond and gave it some bread.',
  'Tom had a red car. He liked to play with it every day. One day the car broke, and Tom was sad.',
  'The little bird was very happy. It sang a song to the sun, and the sun smiled back at it.',
  'Anna wanted to bake a cake. She asked her dad to help her, and they made a big cake together.',
]

/** Registers a model generation run by the embedded engine from a GGUF file. */
export const registerGguf = (
  services: AppServices,
  projectId: string,
  ggufPath: string,
  label: string,
  parentId: string | null,
) =>
  services.handlers['monitor.register']({
    projectId,
    generation: { label, parentId, engine: 'llamacpp', ggufPath, ollama: null, trainingSnapshotId: null },
  })
