// Records candidates in the project log in small batches: each record() resolves once its candidate is
// flushed to disk, so nothing is counted (or shown as complete) before it is durable, while concurrent
// generations share one append and one fsync.
import type { CandidateRecord } from '@shared/domain/candidate'
import type { ProjectRegistry } from '../projects/project-registry'

const maxBatch = 32
const maxWaitMs = 50

export class CandidateRecorder {
  #buffer: { candidate: CandidateRecord; done: () => void; fail: (error: unknown) => void }[] = []
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly projectId: string,
  ) {}

  record(candidate: CandidateRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.#buffer.push({ candidate, done, fail })
      if (this.#buffer.length >= maxBatch) void this.flush()
      else this.#timer ??= setTimeout(() => void this.flush(), maxWaitMs)
    })
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const batch = this.#buffer
    this.#buffer = []
    if (batch.length === 0) return
    try {
      await this.registry.append(this.projectId, [
        { kind: 'candidates.recorded', data: { candidates: batch.map((entry) => entry.candidate) } },
      ])
      for (const entry of batch) entry.done()
    } catch (error) {
      for (const entry of batch) entry.fail(error)
    }
  }
}
