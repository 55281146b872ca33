// Watches one running trainer: turns its progress into the job's reports (step, total, loss, rate, ETA), a
// sparse loss curve written to the log in small batches, and a live view (the curve and the last lines of
// output) published to the screen a few times a second. Memory stays bounded however long the run is.
import type { LiveRun, LossPoint } from '@shared/domain/training-run'
import { RunSteps, SparseLossSeries } from '@shared/training/loss-series'
import type { JobContext } from '../jobs/job-runner'
import type { TrainerProgress } from './progress-protocol'
import type { OutputStream } from './trainer-process'

export const tailLines = 200
const maxLineChars = 2_000
const publishEveryMs = 250
const persistEveryMs = 5_000
const persistBatch = 64
/** The curve in the log: sparse (SparseLossSeries) and capped outright for runs of any length. */
export const maxPersistedPoints = 2_048

export interface WatchOptions {
  projectId: string
  runId: string
  jobId: string
  epochs: number | null
  report: JobContext['report']
  publish: (live: LiveRun) => void
  persist: (points: LossPoint[]) => Promise<void>
  now?: () => number
}

export class TrainerWatch {
  readonly #options: WatchOptions
  readonly #series = new SparseLossSeries(256)
  readonly #steps: RunSteps
  readonly #startedAt: number
  readonly #tail: string[] = []
  #pending: LossPoint[] = []
  #lastTrainStep = 0
  #persisted = 0
  #lastPersistAt: number
  #writes: Promise<void> = Promise.resolve()
  #publishTimer: ReturnType<typeof setTimeout> | null = null
  #latest: Pick<LiveRun, 'step' | 'total' | 'loss' | 'lr' | 'etaSeconds'> = {
    step: null,
    total: null,
    loss: null,
    lr: null,
    etaSeconds: null,
  }

  constructor(options: WatchOptions) {
    this.#options = options
    this.#steps = new RunSteps(options.epochs)
    this.#startedAt = this.#now()
    this.#lastPersistAt = this.#startedAt
  }

  progress(progress: TrainerProgress): void {
    // A loss without a step (a TRL log dict between two bars) belongs to the step last seen.
    const step = progress.step ?? (progress.phase === 'train' ? this.#lastTrainStep : 0)
    if (progress.phase === 'train') this.#lastTrainStep = step
    const placed = this.#steps.place(step, progress.total, progress.phase)
    if (progress.phase === 'train') {
      this.#latest = {
        step: placed.step,
        total: placed.total,
        loss: progress.loss ?? this.#latest.loss,
        lr: progress.lr ?? this.#latest.lr,
        etaSeconds: progress.etaSeconds,
      }
      const counts: Record<string, number> = {}
      if (progress.loss !== null) counts.loss = progress.loss
      if (progress.lr !== null) counts.lr = progress.lr
      if (progress.etaSeconds !== null) counts.trainerEtaSeconds = progress.etaSeconds
      this.#options.report({ unit: 'steps', done: placed.step, total: placed.total, counts })
    }
    const point: LossPoint = {
      ...placed,
      loss: progress.loss,
      lr: progress.lr,
      phase: progress.phase,
      seconds: Math.max(0, (this.#now() - this.#startedAt) / 1000),
    }
    if (this.#series.add(point) && this.#persisted + this.#pending.length < maxPersistedPoints)
      this.#pending.push(point)
    const now = this.#now()
    if (this.#pending.length >= persistBatch || now - this.#lastPersistAt >= persistEveryMs) this.#persist()
    this.#schedulePublish()
  }

  /** stdout and stderr interleaved as they arrive: the person reads one log. */
  line(_stream: OutputStream, line: string): void {
    this.#tail.push(line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line)
    if (this.#tail.length > tailLines) this.#tail.splice(0, this.#tail.length - tailLines)
    this.#schedulePublish()
  }

  /** The last lines of output, oldest first. */
  tail(): string {
    return this.#tail.join('\n')
  }

  /** Writes what is pending and publishes the final view; resolves once every write has settled. */
  async flush(): Promise<void> {
    if (this.#publishTimer !== null) clearTimeout(this.#publishTimer)
    this.#publishTimer = null
    this.#persist()
    this.#publish()
    await this.#writes
  }

  #persist(): void {
    this.#lastPersistAt = this.#now()
    if (this.#pending.length === 0) return
    const batch = this.#pending
    this.#pending = []
    this.#persisted += batch.length
    // In order, one at a time; a failed write loses those points only (the run's end is written apart).
    this.#writes = this.#writes
      .then(() => this.#options.persist(batch))
      .catch((error: unknown) => console.warn(`run ${this.#options.runId}: loss points not written`, error))
  }

  #schedulePublish(): void {
    this.#publishTimer ??= setTimeout(() => {
      this.#publishTimer = null
      this.#publish()
    }, publishEveryMs)
  }

  #publish(): void {
    const { projectId, runId, jobId } = this.#options
    this.#options.publish({
      projectId,
      runId,
      jobId,
      ...this.#latest,
      points: [...this.#series.points],
      tail: [...this.#tail],
    })
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now()
  }
}
