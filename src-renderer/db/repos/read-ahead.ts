// A bounded queue of reads started ahead of the one being consumed, in order. The producer awaits room()
// before starting another read and hands each over with push(); the consumer awaits next() until it answers
// null (the producer finished and everything was taken). A failed read, or a failed producer, fails next().
export class ReadAhead<T> {
  readonly #limit: number
  readonly #queue: Promise<T>[] = []
  #isDone = false
  #failure: { error: unknown } | null = null
  #wakeConsumer: (() => void) | null = null
  #wakeProducer: (() => void) | null = null

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Resolves once fewer than `limit` reads are waiting to be taken. */
  async room(): Promise<void> {
    while (this.#queue.length >= this.#limit) await new Promise<void>((wake) => (this.#wakeProducer = wake))
  }

  push(read: Promise<T>): void {
    read.catch(() => undefined) // reported by next(), in order
    this.#queue.push(read)
    this.#wake()
  }

  /** The producer's run: its end (or failure) ends the queue once what it pushed is taken. */
  endWith(producer: Promise<unknown>): void {
    producer.then(
      () => {
        this.#isDone = true
        this.#wake()
      },
      (error: unknown) => {
        this.#failure = { error }
        this.#wake()
      },
    )
  }

  async next(): Promise<T | null> {
    for (;;) {
      const read = this.#queue.shift()
      if (read !== undefined) {
        this.#wakeProducer?.()
        this.#wakeProducer = null
        return read
      }
      if (this.#failure !== null) throw this.#failure.error
      if (this.#isDone) return null
      await new Promise<void>((wake) => (this.#wakeConsumer = wake))
    }
  }

  #wake(): void {
    this.#wakeConsumer?.()
    this.#wakeConsumer = null
  }
}
