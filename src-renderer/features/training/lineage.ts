// The lineage as the fine-tune screen draws it: generations as a tree from generation 0, each with the run
// that produced it and the dataset snapshot it was trained on (with its mix statistics), children in the
// order they were registered. Pure, so the tree is tested without a page.
import type { TrainingOverview } from '../../state/training.svelte'

type Generation = TrainingOverview['generations'][number]
type Run = TrainingOverview['runs'][number]
type Snapshot = TrainingOverview['snapshots'][number]

export interface LineageNode {
  generation: Generation
  run: Run | null
  snapshot: Snapshot | null
  /** The monitor's latest probe of it, if any. */
  probe: TrainingOverview['probes'][number] | null
  children: LineageNode[]
  depth: number
}

/** Roots first (generation 0, and any generation whose parent is not registered), depth-first. */
export function lineageTree(overview: TrainingOverview): LineageNode[] {
  const runs = new Map(
    overview.runs.flatMap((run) => (run.finished?.generationId ? [[run.finished.generationId, run]] : [])),
  )
  const snapshots = new Map(overview.snapshots.map((s) => [s.id, s]))
  const probes = new Map(overview.probes.map((p) => [p.generationId, p]))
  const ids = new Set(overview.generations.map((g) => g.id))
  const byParent = new Map<string | null, Generation[]>()
  for (const generation of overview.generations) {
    const parent = generation.parentId !== null && ids.has(generation.parentId) ? generation.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), generation])
  }
  const build = (generation: Generation, depth: number): LineageNode => ({
    generation,
    run: runs.get(generation.id) ?? null,
    probe: probes.get(generation.id) ?? null,
    snapshot:
      generation.trainingSnapshotId === null ? null : (snapshots.get(generation.trainingSnapshotId) ?? null),
    depth,
    children: (byParent.get(generation.id) ?? []).map((child) => build(child, depth + 1)),
  })
  return (byParent.get(null) ?? []).map((root) => build(root, 0))
}

/** "120 human · 80 model · depth 0: 120, 1: 80": a snapshot's mix in one line. */
export function mixSummary(snapshot: Snapshot): string {
  const entries = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${value} ${key}`)
  const origin = entries(snapshot.counts.byOrigin).join(' · ')
  const depth = Object.entries(snapshot.counts.byDepth)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')
  const generation = Object.entries(snapshot.counts.byGeneration)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')
  return [
    `${snapshot.trainRows} train / ${snapshot.testRows} test`,
    origin,
    depth === '' ? '' : `synthetic depth ${depth}`,
    generation === '' ? '' : `by model generation ${generation}`,
  ]
    .filter((part) => part !== '')
    .join(' · ')
}
