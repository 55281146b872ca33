// A counting semaphore with abortable waits, and one shared per Ollama host, so every engine talking to
// the same server respects one concurrency limit (Ollama queues the rest and answers 503 when full).

export class Semaphore {
  private active = 0
  private readonly waiters: (() => void)[] = []

  constructor(private limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer`)
  }

  get inUse(): number {
    return this.active
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit))
    this.wake()
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    // A free slot and nobody waiting: granted at once, without an abort listener to add and remove.
    if (this.active < this.limit && this.waiters.length === 0) {
      this.active++
      return Promise.resolve(this.releaser())
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        this.active++
        resolve(this.releaser())
      }
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(grant)
      this.wake()
    })
  }

  private releaser(): () => void {
    let released = false
    return () => {
      // A double release would silently raise the limit.
      if (released) return
      released = true
      this.active--
      this.wake()
    }
  }

  private wake(): void {
    while (this.active < this.limit && this.waiters.length > 0) this.waiters.shift()?.()
  }
}

const perHost = new Map<string, Semaphore>()

/** The shared limiter for a host; a later engine with a different limit re-sets it (last one wins). */
export function hostSemaphore(host: string, limit: number): Semaphore {
  const existing = perHost.get(host)
  if (existing) {
    existing.setLimit(limit)
    return existing
  }
  const created = new Semaphore(limit)
  perHost.set(host, created)
  return created
}
