// mulberry32: a small seeded generator, so a failing crash run can be replayed with CRASH_SEED.
export interface Random {
  (): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  pick<T>(list: readonly T[]): T
}

export function seeded(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const random = next as Random
  random.int = (min, max) => min + Math.floor(next() * (max - min + 1))
  random.pick = (list) => list[Math.floor(next() * list.length)]!
  return random
}
