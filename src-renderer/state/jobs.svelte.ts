// The current project's jobs as the UI observes them: a snapshot from jobs.list, then jobs.changed events
// applied by id (CONVENTIONS.md 8). Events carry live progress, so they overlay the rows the snapshot gave.
import { isTerminal, type JobSnapshot } from '@shared/jobs/job'
import type { LiveCandidate } from '@shared/domain/generation-streaming'
import { api, onEvent, onReconnect } from '../lib/api'

/** Newer wins; on a tie the copy with progress wins, since progress events keep updatedAt moving anyway. */
const isNewer = (candidate: JobSnapshot, existing: JobSnapshot | undefined): boolean =>
  existing === undefined || candidate.updatedAt >= existing.updatedAt

export class JobsState {
  #byId = $state.raw<Record<string, JobSnapshot>>({})
  /** What each running generation is writing right now (a live snapshot, never stored). */
  #streams = $state.raw<Record<string, LiveCandidate[]>>({})
  #projectId = $state<string | null>(null)
  #isLoading = $state(false)
  #error = $state<string | null>(null)
  #unsubscribe: (() => void)[] = []
  readonly #onSettled: ((job: JobSnapshot) => void) | null

  /** onSettled hears of each job seen running here that then ends (for a toast wherever the person is). */
  constructor(onSettled: ((job: JobSnapshot) => void) | null = null) {
    this.#onSettled = onSettled
  }

  /** Newest first. */
  get list(): JobSnapshot[] {
    return Object.values(this.#byId).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  get active(): JobSnapshot[] {
    return this.list.filter((job) => job.status === 'running' || job.status === 'queued')
  }

  get isLoading(): boolean {
    return this.#isLoading
  }

  get error(): string | null {
    return this.#error
  }

  streams(jobId: string): LiveCandidate[] {
    return this.#streams[jobId] ?? []
  }

  get(jobId: string | null): JobSnapshot | null {
    return jobId === null ? null : (this.#byId[jobId] ?? null)
  }

  /** Subscribes first, then asks for the snapshot, so no event falls between the two. */
  async open(projectId: string): Promise<void> {
    this.close()
    this.#projectId = projectId
    this.#unsubscribe = [
      onEvent('jobs.changed', (job) => {
        if (job.projectId === this.#projectId) this.#apply(job)
      }),
      onEvent('generation.streaming', ({ projectId, jobId, streams }) => {
        if (projectId !== this.#projectId || isTerminal(this.#byId[jobId]?.status ?? 'running')) return
        this.#streams = { ...this.#streams, [jobId]: streams }
      }),
      // Events sent while the connection was down are lost: take a new snapshot.
      onReconnect(() => void this.refresh()),
    ]
    await this.refresh()
  }

  async refresh(): Promise<void> {
    const projectId = this.#projectId
    if (projectId === null) return
    this.#isLoading = true
    try {
      const jobs = await api['jobs.list']({ projectId })
      if (projectId !== this.#projectId) return
      for (const job of jobs) this.#apply(job)
      this.#error = null
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
    } finally {
      this.#isLoading = false
    }
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
    this.#projectId = null
    this.#byId = {}
    this.#streams = {}
  }

  async cancel(jobId: string): Promise<boolean> {
    const { cancelled } = await api['jobs.cancel']({ jobId })
    return cancelled
  }

  async resume(jobId: string): Promise<void> {
    this.#apply(await api['jobs.resume']({ jobId }))
  }

  #apply(job: JobSnapshot): void {
    const previous = this.#byId[job.id]
    if (!isNewer(job, previous)) return
    this.#byId = { ...this.#byId, [job.id]: job }
    if (isTerminal(job.status) && this.#streams[job.id]) {
      const { [job.id]: _ended, ...rest } = this.#streams
      this.#streams = rest
    }
    if (previous && !isTerminal(previous.status) && isTerminal(job.status)) this.#onSettled?.(job)
  }
}
