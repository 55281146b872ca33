// A generation's lineage read back from the registered records (monitor.generationRegistered): from the
// generation to its root, each step with its parent. A link is refused when the parent is not registered or,
// where both digests are known, when the child was not trained from the parent's model file — so a lineage
// read back from the log vouches for the bytes, not only for the ids.
import type { ModelGenerationRecord } from '../domain/monitor'

export interface LineageStep {
  generation: ModelGenerationRecord
  parent: ModelGenerationRecord | null
}

/** The digest of the model file a generation runs from, when its record knows it (a trained generation). */
function modelDigest(generation: ModelGenerationRecord): string | null {
  const outputs = generation.training?.outputs ?? []
  const gguf = outputs.find((file) => file.path === generation.ggufPath) ?? outputs[0]
  return gguf?.sha256 ?? null
}

export function lineageOf(
  generations: Iterable<ModelGenerationRecord>,
  generationId: string,
  /** Digests known from elsewhere (a hand-registered base model's file, hashed now), by generation id. */
  knownDigests: ReadonlyMap<string, string> = new Map(),
): LineageStep[] {
  const byId = new Map([...generations].map((g) => [g.id, g]))
  const steps: LineageStep[] = []
  const seen = new Set<string>()
  for (let id: string | null = generationId; id !== null;) {
    if (seen.has(id)) throw new Error(`The lineage of ${generationId} loops back to ${id}.`)
    seen.add(id)
    const current = byId.get(id)
    if (current === undefined) throw new Error(`Generation ${id} is not registered.`)
    const parent = current.parentId === null ? null : (byId.get(current.parentId) ?? null)
    if (current.parentId !== null && parent === null)
      throw new Error(`The parent of generation ${current.generation} (${current.label}) is not registered.`)
    const trainedFrom = current.training?.baseModel.sha256 ?? null
    const parentDigest = parent === null ? null : (modelDigest(parent) ?? knownDigests.get(parent.id) ?? null)
    if (trainedFrom !== null && parentDigest !== null && trainedFrom !== parentDigest)
      throw new Error(
        `Generation ${current.generation} (${current.label}) was not trained from generation ` +
          `${parent!.generation}'s model file: its digest differs.`,
      )
    steps.push({ generation: current, parent })
    id = current.parentId
  }
  return steps
}
