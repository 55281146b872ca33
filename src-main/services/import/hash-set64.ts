// A compact set of 64-bit content-hash prefixes for import deduplication: ~16 bytes per entry in typed
// arrays instead of ~100 bytes per string in a Set, so millions of records fit in bounded memory.
// A 64-bit prefix of SHA-256 collides with probability ~n²/2⁶⁵: negligible below billions of records.

export class HashSet64 {
  #hi: Uint32Array
  #lo: Uint32Array
  #size = 0

  constructor(capacity = 1 << 16) {
    this.#hi = new Uint32Array(capacity)
    this.#lo = new Uint32Array(capacity)
  }

  get size(): number {
    return this.#size
  }

  /** Adds the hash (hex, at least 16 digits); answers false if it was already there. */
  add(hexHash: string): boolean {
    if ((this.#size + 1) * 2 > this.#hi.length) this.#grow()
    return this.#insert(parseInt(hexHash.slice(0, 8), 16), parseInt(hexHash.slice(8, 16), 16) | 1)
  }

  has(hexHash: string): boolean {
    const hi = parseInt(hexHash.slice(0, 8), 16)
    const lo = parseInt(hexHash.slice(8, 16), 16) | 1
    const mask = this.#hi.length - 1
    for (let slot = hi & mask; ; slot = (slot + 1) & mask) {
      if (this.#lo[slot] === 0) return false
      if (this.#hi[slot] === hi >>> 0 && this.#lo[slot] === lo >>> 0) return true
    }
  }

  // The low word's lowest bit is forced to 1 so that 0 can mark an empty slot; this costs one bit of the
  // 64, which the collision estimate above already allows for.
  #insert(hi: number, lo: number): boolean {
    const mask = this.#hi.length - 1
    for (let slot = hi & mask; ; slot = (slot + 1) & mask) {
      if (this.#lo[slot] === 0) {
        this.#hi[slot] = hi
        this.#lo[slot] = lo
        this.#size++
        return true
      }
      if (this.#hi[slot] === hi >>> 0 && this.#lo[slot] === lo >>> 0) return false
    }
  }

  #grow(): void {
    const oldHi = this.#hi
    const oldLo = this.#lo
    this.#hi = new Uint32Array(oldHi.length * 2)
    this.#lo = new Uint32Array(oldLo.length * 2)
    this.#size = 0
    for (let slot = 0; slot < oldHi.length; slot++) {
      if (oldLo[slot] !== 0) this.#insert(oldHi[slot]!, oldLo[slot]!)
    }
  }
}
