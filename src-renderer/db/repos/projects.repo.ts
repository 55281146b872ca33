// Projects as the log describes them (name, settings). The project list itself comes from main.
import type { LogEventPayload } from '@shared/domain/log-events'
import { defaultProjectSettings } from '@shared/domain/project'
import type { ProjectRow, WinnowDb } from '../database'

export function getProject(db: WinnowDb, projectId: string): Promise<ProjectRow | undefined> {
  return db.projects.get(projectId)
}

/** Projection only. */
export async function recordProjectCreated(
  db: WinnowDb,
  projectId: string,
  data: LogEventPayload<'project.created'>,
  at: string,
): Promise<void> {
  await db.projects.put({
    id: projectId,
    name: data.name,
    settings: data.settings,
    createdAt: at,
    updatedAt: at,
  })
}

/** Projection only. */
export async function recordProjectRenamed(
  db: WinnowDb,
  projectId: string,
  data: LogEventPayload<'project.renamed'>,
  at: string,
): Promise<void> {
  // A rename before any creation event would be a bug in main; keep the name rather than drop it.
  const existing = (await db.projects.get(projectId)) ?? {
    id: projectId,
    settings: defaultProjectSettings,
    createdAt: at,
  }
  await db.projects.put({ ...existing, name: data.name, updatedAt: at })
}

/** Projection only (rebuild). */
export async function deleteProjectRow(db: WinnowDb, projectId: string): Promise<void> {
  await db.projects.delete(projectId)
}
