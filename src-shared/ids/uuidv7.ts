// UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Event ids sort by creation time,
// which keeps merges and indexes cheap; a 12-bit counter keeps ids from one process monotonic.
// Shared so the renderer can name its review decisions too: it uses Web Crypto's getRandomValues, which
// both Chromium and Node 20 put on globalThis (src-shared may not import node:crypto).

// src-shared compiles without DOM or Node types, so name the one function it needs.
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T
}
const { crypto } = globalThis as unknown as { crypto: RandomSource }

let lastMs = 0
let counter = 0
// Random bytes drawn in bulk: one crypto call per 256 ids instead of per id (imports make many).
const pool = new Uint8Array(16 * 256)
let poolUsed = pool.length

function random16(): Uint8Array {
  if (poolUsed === pool.length) {
    crypto.getRandomValues(pool)
    poolUsed = 0
  }
  const bytes = pool.slice(poolUsed, poolUsed + 16)
  poolUsed += 16
  return bytes
}

const hexOf = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

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
  // 48-bit big-endian milliseconds; bit operators are 32-bit, so split at 2^32.
  const high = Math.floor(ms / 0x1_0000_0000)
  const low = ms >>> 0
  bytes[0] = (high >>> 8) & 0xff
  bytes[1] = high & 0xff
  bytes[2] = (low >>> 24) & 0xff
  bytes[3] = (low >>> 16) & 0xff
  bytes[4] = (low >>> 8) & 0xff
  bytes[5] = low & 0xff
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  let hex = ''
  for (const byte of bytes) hex += hexOf[byte]
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
