// Turns raw progress counts into a rate and an ETA over a sliding window, so the numbers a person reads
// follow what is happening now rather than the average since the start.
import type { JobProgress } from '@shared/jobs/job'

const windowMs = 5_000

export class ProgressMeter {
  readonly #samples: { at: number; done: number }[] = []

  measure(progress: Omit<JobProgress, 'rate' | 'etaSeconds'>, now = Date.now()): JobProgress {
    this.#samples.push({ at: now, done: progress.done })
    while (this.#samples.length > 2 && now - this.#samples[0]!.at > windowMs) this.#samples.shift()
    const first = this.#samples[0]!
    const seconds = (now - first.at) / 1000
    const rate = seconds > 0 ? Math.max(0, (progress.done - first.done) / seconds) : 0
    const remaining = progress.total === null ? null : Math.max(0, progress.total - progress.done)
    const etaSeconds = remaining === null || rate === 0 ? null : remaining / rate
    return { ...progress, rate, etaSeconds }
  }
}
