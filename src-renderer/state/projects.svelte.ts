// The projects list and the current project: create, rename, open, and delete (after showing what would be
// lost). Main owns the projects; this keeps the latest list it answered and refreshes on projects.changed.
import type { DeletionSummary, ProjectSummary } from '@shared/domain/project'
import { api, onEvent, onReconnect } from '../lib/api'
import type { LogHead } from '@shared/domain/log-events'

export class ProjectsState {
  #list = $state<ProjectSummary[]>([])
  #isLoading = $state(false)
  #hasLoaded = $state(false)
  #error = $state<string | null>(null)
  #currentId = $state<string | null>(null)
  #unsubscribe: (() => void)[] = []

  get list(): readonly ProjectSummary[] {
    return this.#list
  }

  get isLoading(): boolean {
    return this.#isLoading
  }

  /** False until the first answer, so the empty state is not flashed before the list arrives. */
  get hasLoaded(): boolean {
    return this.#hasLoaded
  }

  get error(): string | null {
    return this.#error
  }

  get current(): ProjectSummary | null {
    return this.#list.find((project) => project.id === this.#currentId) ?? null
  }

  /** Recently opened first, then the newest. */
  get recent(): ProjectSummary[] {
    const key = (project: ProjectSummary): string => project.lastOpenedAt ?? project.createdAt
    return [...this.#list].sort((a, b) => key(b).localeCompare(key(a)))
  }

  /** Loads the list and keeps it current while the app runs. */
  async start(): Promise<void> {
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe = [
        onEvent('projects.changed', () => void this.refresh()),
        // Every append carries the log head: keep each project's counts current without another round trip.
        onEvent('log.appended', ({ projectId, head }) => this.#noteHead(projectId, head)),
        onReconnect(() => void this.refresh()),
      ]
    }
    await this.refresh()
  }

  #noteHead(projectId: string, head: LogHead): void {
    const index = this.#list.findIndex((project) => project.id === projectId)
    const project = this.#list[index]
    if (!project || (project.sampleCount === head.sampleCount && project.lastSeq === head.lastSeq)) return
    this.#list = this.#list.with(index, { ...project, sampleCount: head.sampleCount, lastSeq: head.lastSeq })
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
  }

  async refresh(): Promise<void> {
    this.#isLoading = true
    try {
      this.#list = await api['projects.list']({})
      this.#error = null
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
    } finally {
      this.#isLoading = false
      this.#hasLoaded = true
    }
  }

  async create(name: string): Promise<ProjectSummary> {
    const project = await api['projects.create']({ name })
    this.#upsert(project)
    return project
  }

  async rename(projectId: string, name: string): Promise<ProjectSummary> {
    const project = await api['projects.rename']({ projectId, name })
    this.#upsert(project)
    return project
  }

  /** Marks the project opened in main and makes it current; the caller then syncs its store. */
  async open(projectId: string): Promise<ProjectSummary> {
    const project = await api['projects.open']({ projectId })
    this.#upsert(project)
    this.#currentId = project.id
    return project
  }

  close(): void {
    this.#currentId = null
  }

  deletionSummary(projectId: string): Promise<DeletionSummary> {
    return api['projects.deletionSummary']({ projectId })
  }

  async delete(projectId: string, confirmName: string): Promise<void> {
    await api['projects.delete']({ projectId, confirmName })
    this.#list = this.#list.filter((project) => project.id !== projectId)
    if (this.#currentId === projectId) this.#currentId = null
  }

  #upsert(project: ProjectSummary): void {
    const index = this.#list.findIndex((candidate) => candidate.id === project.id)
    this.#list = index === -1 ? [...this.#list, project] : this.#list.with(index, project)
  }
}
