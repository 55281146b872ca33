// Bounded capture of a trainer's output: the last N bytes of a stream and a count of what was dropped before
// them. A trainer can print gigabytes over a long run; memory stays at the capacity whatever it prints.

export const defaultLogCapacityBytes = 256 * 1024

export interface LogSnapshot {
  /** The retained tail, decoded as UTF-8 (a sequence cut by the window's start is skipped). */
  text: string
  droppedBytes: number
  totalBytes: number
}

export class LogRing {
  readonly capacity: number
  readonly #buffer: Buffer
  #start = 0
  #length = 0
  #total = 0

  constructor(capacity = defaultLogCapacityBytes) {
    if (!Number.isInteger(capacity) || capacity <= 0)
      throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
    this.#buffer = Buffer.alloc(capacity)
  }

  get droppedBytes(): number {
    return this.#total - this.#length
  }

  get totalBytes(): number {
    return this.#total
  }

  append(chunk: Uint8Array): void {
    this.#total += chunk.length
    // Only the tail of an oversized chunk can survive, so copy nothing else.
    const data = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk
    const writeAt = (this.#start + this.#length) % this.capacity
    const firstPart = Math.min(data.length, this.capacity - writeAt)
    this.#buffer.set(data.subarray(0, firstPart), writeAt)
    this.#buffer.set(data.subarray(firstPart), 0)
    const overflow = Math.max(0, this.#length + data.length - this.capacity)
    this.#length = Math.min(this.capacity, this.#length + data.length)
    this.#start = (this.#start + overflow) % this.capacity
  }

  bytes(): Buffer {
    const end = this.#start + this.#length
    if (end <= this.capacity) return Buffer.from(this.#buffer.subarray(this.#start, end))
    return Buffer.concat([this.#buffer.subarray(this.#start), this.#buffer.subarray(0, end - this.capacity)])
  }

  snapshot(): LogSnapshot {
    let bytes = this.bytes()
    if (this.droppedBytes > 0) {
      // The window may begin inside a multi-byte character; skip its continuation bytes (10xxxxxx).
      let skip = 0
      while (skip < 3 && skip < bytes.length && (bytes[skip]! & 0xc0) === 0x80) skip++
      bytes = bytes.subarray(skip)
    }
    return { text: bytes.toString('utf8'), droppedBytes: this.droppedBytes, totalBytes: this.#total }
  }
}
