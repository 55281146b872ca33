// Backups behind the IPC contract: create one into a new folder, restore one into a new project. Plain
// calls for now, not jobs (no progress, no cancel): a large project's backup holds its caller until done.
import type { EventHub } from '../../ipc/event-hub'
import type { ProjectRegistry } from '../projects/project-registry'
import { writeBackup, type BackupMeta, type BackupResult } from './backup-writer'
import { restoreBackup, type Restored, type RestoreOptions } from './backup-restore'

export class BackupService {
  constructor(
    private readonly registry: ProjectRegistry,
    private readonly events: EventHub,
    private readonly meta: BackupMeta,
    private readonly restoreOptions: RestoreOptions = {},
  ) {}

  create(projectId: string, folder: string): Promise<BackupResult> {
    return writeBackup(this.registry, projectId, folder, this.meta)
  }

  async restore(folder: string, name: string): Promise<Restored> {
    const restored = await restoreBackup(this.registry, folder, name, this.restoreOptions)
    this.events.emit('projects.changed', {})
    return restored
  }
}
