// What the log says about the collapse monitor, folded: the registered generations, the frozen sets (the
// first freeze wins, later ones are refused by the service) and each generation's latest probe. Applying
// the same event twice leaves the same state: everything is keyed by id.
import type { LogEvent } from '../domain/log-events'
import { readLogEvent } from '../domain/log-events'
import type { FrozenSets, ModelGenerationRecord, ProbeResult } from '../domain/monitor'

export const monitorEventKinds: ReadonlySet<string> = new Set([
  'monitor.generationRegistered',
  'monitor.setsFrozen',
  'monitor.probed',
])

export class MonitorFold {
  readonly generations = new Map<string, ModelGenerationRecord>()
  /** Latest probe per generation on the frozen sets. */
  readonly probes = new Map<string, ProbeResult>()
  sets: FrozenSets | null = null
  /** Counts the monitor events applied: a report built at one version holds until the next. */
  version = 0

  apply(raw: LogEvent): void {
    const event = readLogEvent(raw)
    if (event === null || !monitorEventKinds.has(event.kind)) return
    this.version++
    switch (event.kind) {
      case 'monitor.generationRegistered':
        this.generations.set(event.data.generation.id, event.data.generation)
        break
      case 'monitor.setsFrozen':
        this.sets ??= event.data.sets
        break
      case 'monitor.probed':
        if (event.data.probe.setsId === this.sets?.setsId)
          this.probes.set(event.data.probe.generationId, event.data.probe)
        break
      default:
    }
  }

  /** Generations in lineage order: by generation number, then by when they were registered. */
  ordered(): ModelGenerationRecord[] {
    return [...this.generations.values()].sort(
      (a, b) => a.generation - b.generation || a.createdAt.localeCompare(b.createdAt),
    )
  }

  /** What an export must refuse to put in a training split (ProtectedSets, probe-guard.ts). */
  protectedSets(): { sampleIds: string[]; textHashes: string[] } {
    if (this.sets === null) return { sampleIds: [], textHashes: [] }
    return {
      sampleIds: [...this.sets.probeSampleIds, ...this.sets.referenceSampleIds],
      textHashes: this.sets.textHashes,
    }
  }
}
