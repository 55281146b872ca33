// A loss curve that stays small however long a run is: at most `capacity` points, evenly thinned. When the
// series is full, every other point is dropped and the stride between kept steps doubles, so the curve
// always spans the whole run (its start included) at a resolution that halves as it grows.
import type { LossPoint } from '../domain/training-run'

export const defaultLossCapacity = 512

export class SparseLossSeries {
  readonly capacity: number
  #points: LossPoint[] = []
  #stride = 1
  #lastKept: number | null = null

  constructor(capacity = defaultLossCapacity) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('capacity must be an integer ≥ 2')
    this.capacity = capacity
  }

  get points(): readonly LossPoint[] {
    return this.#points
  }

  /**
   * Keeps a point with a loss when it is at least a stride past the last kept one; answers whether it was
   * kept. Validation passes are rare and belong on their own curve: always kept.
   */
  add(point: LossPoint): boolean {
    if (point.loss === null) return false
    const isDue =
      point.phase === 'eval' || this.#lastKept === null || point.step >= this.#lastKept + this.#stride
    if (!isDue) return false
    if (point.phase === 'train') this.#lastKept = point.step
    this.#points.push(point)
    if (this.#points.length > this.capacity) this.#thin()
    return true
  }

  #thin(): void {
    this.#points = this.#points.filter((_, i) => i % 2 === 0)
    this.#stride *= 2
  }
}

/**
 * One step count across the whole run. llama-finetune counts samples within each epoch, starting again at
 * every epoch; a training step lower than the one before means the next epoch began. Trainers that count
 * globally (Winnow's protocol) never go back, so their steps pass through unchanged.
 */
export class RunSteps {
  readonly #epochs: number | null
  #epoch = 0
  #last = -1
  #perEpoch: number | null = null

  /** `epochs`: how many the run was asked for, when the recipe counts steps per epoch; else null. */
  constructor(epochs: number | null) {
    this.#epochs = epochs
  }

  /** The global step and total for a train or eval line's own step and total. */
  place(step: number, total: number | null, phase: 'train' | 'eval'): { step: number; total: number | null } {
    if (phase === 'train') {
      if (step < this.#last) this.#epoch++
      this.#last = step
      if (total !== null) this.#perEpoch = total
    }
    const perEpoch = this.#perEpoch
    if (this.#epochs === null || perEpoch === null) return { step: Math.max(this.#last, 0), total }
    // A validation pass belongs where training stands; its own counter is over the held-out samples.
    const within = phase === 'train' ? step : Math.max(this.#last, 0)
    return { step: this.#epoch * perEpoch + within, total: this.#epochs * perEpoch }
  }
}
