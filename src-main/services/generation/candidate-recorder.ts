// Records candidates in the project log with group commit: the first candidate is appended at once, and
// those that arrive while an append is in flight, or within GATHER_MS after it, go together in the next
// one. record() resolves once its candidate is on disk, so nothing is counted (or shown as complete)
// before it is durable, while the generation workers never wait on a timer.
import type { CandidateRecord } from '@shared/domain/candidate'
import type { ProjectRegistry } from '../projects/project-registry'

/**
 * After an append, candidates gather this long before the next one (on top of the log's own flush
 * window), so one write and fsync carries about twice as many: at zero model latency that halves the
 * fsyncs per candidate. A candidate still reaches the disk within ~50 ms of being recorded.
 */
const GATHER_MS = 20

interface Pending {
  candidate: CandidateRecord
  done: () => void
  fail: (error: unknown) => void
}

export class CandidateRecorder {
  #buffer: Pending[] = []
  #flushing: Promise<void> | null = null
  #isFinishing = false
  /** Ends the current gathering pause early (finish() does: nothing more is coming). */
  #stopGathering: (() => void) | null = null

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly projectId: string,
  ) {}

  record(candidate: CandidateRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.#buffer.push({ candidate, done, fail })
      this.#flushing ??= this.#drain()
    })
  }

  /**
   * Nothing more will be recorded: what is pending is written now rather than at the end of the log's
   * flush window (the job's end, and the person watching it, would otherwise wait for that window).
   */
  finish(): Promise<void> {
    this.#isFinishing = true
    this.#stopGathering?.()
    void this.registry.hurry(this.projectId)
    return this.flush()
  }

  /** Resolves when everything recorded so far is on disk. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing
  }

  async #drain(): Promise<void> {
    try {
      while (this.#buffer.length > 0) {
        const batch = this.#buffer
        this.#buffer = []
        try {
          await this.registry.append(
            this.projectId,
            [{ kind: 'candidates.recorded', data: { candidates: batch.map((entry) => entry.candidate) } }],
            { urgent: this.#isFinishing },
          )
          for (const entry of batch) entry.done()
        } catch (error) {
          for (const entry of batch) entry.fail(error)
        }
        if (!this.#isFinishing) await this.#gather()
      }
    } finally {
      this.#flushing = null
    }
  }

  #gather(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(stop, GATHER_MS)
      function stop(): void {
        clearTimeout(timer)
        resolve()
      }
      this.#stopGathering = stop
    }).finally(() => (this.#stopGathering = null))
  }
}
