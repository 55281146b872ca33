// UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Event ids sort by creation time,
// which keeps merges and indexes cheap; a 12-bit counter keeps ids from one process monotonic.
import { randomFillSync } from 'node:crypto'

let lastMs = 0
let counter = 0
// Random bytes drawn in bulk: one crypto call per 256 ids instead of per id (imports make many).
const pool = Buffer.alloc(16 * 256)
let poolUsed = pool.length

function random16(): Buffer {
  if (poolUsed === pool.length) {
    randomFillSync(pool)
    poolUsed = 0
  }
  const bytes = Buffer.from(pool.subarray(poolUsed, poolUsed + 16))
  poolUsed += 16
  return bytes
}

export function uuidv7(now: number = Date.now()): string {
  let ms = now
  if (ms <= lastMs) {
    // Same (or earlier, clock went back) millisecond: count up so ids stay ordered.
    counter++
    ms = lastMs
    if (counter > 0xfff) {
      counter = 0
      ms = lastMs + 1
    }
  } else {
    // Start low in the counter space so a burst in one millisecond rarely overflows it.
    counter = random16()[0] ?? 0
  }
  lastMs = ms
  const bytes = random16()
  bytes.writeUIntBE(ms, 0, 6)
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
