// The monitor's view of each project's log: folded once per process from the monitor's own event kinds,
// then kept current by appending through here (only the monitor writes these kinds, and only in main).
import type { TypedInput } from '../projects/project-registry'
import type { ProjectRegistry } from '../projects/project-registry'
import { MonitorFold, monitorEventKinds } from '@shared/monitor/monitor-fold'

type MonitorInput = TypedInput<'monitor.generationRegistered' | 'monitor.setsFrozen' | 'monitor.probed'>

export class MonitorLog {
  readonly #folds = new Map<string, Promise<MonitorFold>>()
  readonly #registry: ProjectRegistry

  constructor(registry: ProjectRegistry) {
    this.#registry = registry
  }

  fold(projectId: string): Promise<MonitorFold> {
    let fold = this.#folds.get(projectId)
    if (fold === undefined) {
      fold = this.#replay(projectId)
      this.#folds.set(projectId, fold)
      // A failed read is not remembered: the next call tries again.
      fold.catch(() => this.#folds.delete(projectId))
    }
    return fold
  }

  /** Appends (flushed before this resolves) and folds the written events. */
  async record(projectId: string, input: MonitorInput): Promise<MonitorFold> {
    const fold = await this.fold(projectId)
    const events = await this.#registry.append(projectId, [input], { urgent: true })
    for (const event of events) fold.apply(event)
    return fold
  }

  async #replay(projectId: string): Promise<MonitorFold> {
    const fold = new MonitorFold()
    for await (const event of this.#registry.replayKinds(projectId, monitorEventKinds)) fold.apply(event)
    return fold
  }
}
