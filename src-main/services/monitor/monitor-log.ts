// The monitor's view of each project's log: folded once per process from the monitor's own event kinds,
// then kept current by appending through here (only the monitor writes these kinds, and only in main).
import type { ProjectRegistry } from '../projects/project-registry'
import { ProjectFolds } from '../projects/project-folds'
import { MonitorFold, monitorEventKinds } from '@shared/monitor/monitor-fold'

type MonitorKind = 'monitor.generationRegistered' | 'monitor.setsFrozen' | 'monitor.probed'

export class MonitorLog extends ProjectFolds<MonitorFold, MonitorKind> {
  constructor(registry: ProjectRegistry) {
    super(registry, async (projectId) => {
      const fold = new MonitorFold()
      for await (const event of registry.replayKinds(projectId, monitorEventKinds)) fold.apply(event)
      return fold
    })
  }
}
