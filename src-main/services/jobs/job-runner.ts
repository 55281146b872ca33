// The runner every long task uses. A worker is `run(params, {signal, report})`; the runner owns the status
// machine, persistence (status changes and checkpoints go to the project log), cancellation, concurrency
// and the live progress events the UI observes. A job found `running` in a log at load time belonged to a
// process that died: it becomes `interrupted` and can be resumed from its last checkpoint.
import { randomUUID } from 'node:crypto'
import { isTerminal, type JobProgress, type JobSnapshot, type JobStatus } from '@shared/jobs/job'
import { AppFailure } from '@shared/ipc/result'
import type { EventHub } from '../../ipc/event-hub'
import type { ProjectRegistry } from '../projects/project-registry'
import { ProgressMeter } from './progress-meter'

export interface JobContext {
  signal: AbortSignal
  /** Live progress: sent to the UI (throttled), not persisted. */
  report(progress: Omit<JobProgress, 'rate' | 'etaSeconds'>): void
  /** Durable resume point: persisted in the project log with the job's progress so far. */
  checkpoint(state: unknown): Promise<void>
  /** The checkpoint of the previous attempt when resuming, else null. */
  resumeFrom: unknown
  jobId: string
}

export interface JobWorker<P> {
  kind: string
  run(params: P, context: JobContext): Promise<unknown>
  /** Called if a job is left interrupted at load time, so the worker can close its own records. */
  onInterrupted?(job: JobSnapshot): Promise<void>
  /** Whether a job that ended `done` with this result may run again (to retry what failed in it). */
  canRetry?(result: unknown): boolean
}

const progressEventIntervalMs = 100

export class JobRunner {
  readonly #workers = new Map<string, JobWorker<unknown>>()
  readonly #running = new Map<string, AbortController>()
  readonly #runningProjects = new Map<string, string>()
  readonly #registry: ProjectRegistry
  readonly #events: EventHub

  constructor(registry: ProjectRegistry, events: EventHub) {
    this.#registry = registry
    this.#events = events
    registry.onLoaded = (projectId) => this.#markInterrupted(projectId)
  }

  register<P>(worker: JobWorker<P>): void {
    // Params are validated by the contract before a job starts; the runner only stores and passes them on.
    this.#workers.set(worker.kind, worker)
  }

  async list(projectId: string): Promise<JobSnapshot[]> {
    const state = await this.#registry.state(projectId)
    return [...state.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  /** Persists the job as queued, then runs it in the background; answers the snapshot at once. */
  async start<P>(projectId: string, kind: string, title: string, params: P): Promise<JobSnapshot> {
    if (!this.#workers.has(kind)) throw new AppFailure('not-found', `No worker for jobs of kind ${kind}.`)
    const now = new Date().toISOString()
    const job: JobSnapshot = {
      id: randomUUID(),
      projectId,
      kind,
      title,
      status: 'queued',
      params,
      progress: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      checkpoint: null,
      result: null,
    }
    await this.#persist(job)
    void this.#execute(job)
    return job
  }

  async resume(jobId: string): Promise<JobSnapshot> {
    const job = await this.#find(jobId)
    // Cancel then resume is how a job is paused: workers skip what the log says is already done.
    const isStopped = job.status === 'interrupted' || job.status === 'failed' || job.status === 'cancelled'
    const isRetry = job.status === 'done' && (this.#workers.get(job.kind)?.canRetry?.(job.result) ?? false)
    if (!isStopped && !isRetry) {
      throw new AppFailure('conflict', `Only a stopped job can be resumed; this one is ${job.status}.`)
    }
    const queued = { ...job, status: 'queued' as const, error: null, updatedAt: new Date().toISOString() }
    await this.#persist(queued)
    void this.#execute(queued)
    return queued
  }

  cancel(jobId: string): boolean {
    const controller = this.#running.get(jobId)
    controller?.abort()
    return controller !== undefined
  }

  /** Resolves once no job of this project is running (after cancelling them, before deleting it). */
  async waitForProject(projectId: string): Promise<void> {
    while ([...this.#runningProjects.values()].includes(projectId)) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** Cancels everything running and waits for the workers to record their state. */
  async shutdown(): Promise<void> {
    for (const controller of this.#running.values()) controller.abort()
    while (this.#running.size > 0) await new Promise((resolve) => setTimeout(resolve, 20))
  }

  async #execute(queued: JobSnapshot): Promise<void> {
    const worker = this.#workers.get(queued.kind)!
    const controller = new AbortController()
    this.#running.set(queued.id, controller)
    this.#runningProjects.set(queued.id, queued.projectId)
    let job: JobSnapshot = { ...queued, status: 'running', updatedAt: new Date().toISOString() }
    const meter = new ProgressMeter()
    let lastEventAt = 0
    try {
      await this.#persist(job)
      const result = await worker.run(job.params, {
        jobId: job.id,
        signal: controller.signal,
        resumeFrom: queued.checkpoint,
        report: (progress) => {
          job = { ...job, progress: meter.measure(progress), updatedAt: new Date().toISOString() }
          const now = Date.now()
          if (now - lastEventAt >= progressEventIntervalMs) {
            lastEventAt = now
            this.#events.emit('jobs.changed', job)
          }
        },
        checkpoint: async (state) => {
          job = { ...job, checkpoint: state, updatedAt: new Date().toISOString() }
          await this.#persist(job)
        },
      })
      job = this.#finish(job, 'done', null, result)
    } catch (error) {
      const status: JobStatus = controller.signal.aborted ? 'cancelled' : 'failed'
      job = this.#finish(job, status, status === 'cancelled' ? null : describe(error), null)
    }
    try {
      await this.#persist(job)
    } finally {
      this.#running.delete(queued.id)
      this.#runningProjects.delete(queued.id)
    }
  }

  #finish(job: JobSnapshot, status: JobStatus, error: string | null, result: unknown): JobSnapshot {
    return { ...job, status, error, result: result ?? null, updatedAt: new Date().toISOString() }
  }

  async #persist(job: JobSnapshot): Promise<void> {
    // Urgent: job changes are few, and someone is watching the job (its status, its end).
    await this.#registry.append(job.projectId, [{ kind: 'job.changed', data: { job } }], { urgent: true })
    this.#events.emit('jobs.changed', job)
  }

  async #find(jobId: string): Promise<JobSnapshot> {
    for (const project of await this.#registry.list()) {
      const job = (await this.#registry.state(project.id)).jobs.get(jobId)
      if (job) return job
    }
    throw new AppFailure('not-found', 'That job no longer exists.')
  }

  async #markInterrupted(projectId: string): Promise<void> {
    const state = await this.#registry.state(projectId)
    for (const job of state.jobs.values()) {
      if (isTerminal(job.status) || this.#running.has(job.id)) continue
      const interrupted: JobSnapshot = {
        ...job,
        status: 'interrupted',
        error: 'Winnow stopped while this job was running. Resume it to continue where it left off.',
        updatedAt: new Date().toISOString(),
      }
      await this.#workers.get(job.kind)?.onInterrupted?.(interrupted)
      await this.#persist(interrupted)
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
