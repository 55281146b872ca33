// Logprob columns packed for the trip between threads: the token strings as one string, every number
// (string lengths, alternative counts, logprobs) in one Float64Array that is handed over, not copied. A
// structured clone of 64 tokens × (1 + top-k) small strings and arrays cost the generation thread ~25 µs a
// candidate and main as much again; this is two blocks. Doubles travel bit for bit (lengths and counts are
// small integers, exact as doubles), so the columns unpacked are exactly the ones packed.
import type { CompactLogprobs } from '@shared/domain/token-logprobs'

export interface PackedLogprobs {
  /** Every chosen token, then every alternative (token by token), concatenated. */
  text: string
  /**
   * [tokens n, alternatives a, then n + a string lengths (same order as `text`), n alternative counts,
   * n chosen logprobs, a alternative logprobs (token by token)].
   */
  numbers: Float64Array
}

export function packLogprobs(columns: CompactLogprobs): PackedLogprobs {
  const n = columns.tokens.length
  let a = 0
  for (let i = 0; i < n; i++) a += columns.topTokens[i]!.length
  const numbers = new Float64Array(2 + (n + a) + n + n + a)
  numbers[0] = n
  numbers[1] = a
  const lengthsAt = 2
  const countsAt = lengthsAt + n + a
  const logprobsAt = countsAt + n
  const topAt = logprobsAt + n
  const strings = new Array<string>(n + a)
  for (let i = 0; i < n; i++) {
    const token = columns.tokens[i]!
    strings[i] = token
    numbers[lengthsAt + i] = token.length
    numbers[logprobsAt + i] = columns.logprobs[i]!
  }
  let s = n
  let k = 0
  for (let i = 0; i < n; i++) {
    const names = columns.topTokens[i]!
    const values = columns.topLogprobs[i]!
    numbers[countsAt + i] = names.length
    for (let j = 0; j < names.length; j++, s++, k++) {
      strings[s] = names[j]!
      numbers[lengthsAt + s] = names[j]!.length
      numbers[topAt + k] = values[j]!
    }
  }
  return { text: strings.join(''), numbers }
}

export function unpackLogprobs({ text, numbers }: PackedLogprobs): CompactLogprobs {
  const n = numbers[0]!
  const a = numbers[1]!
  const lengthsAt = 2
  const countsAt = lengthsAt + n + a
  const logprobsAt = countsAt + n
  const topAt = logprobsAt + n
  const tokens = new Array<string>(n)
  const logprobs = new Array<number>(n)
  const topTokens = new Array<string[]>(n)
  const topLogprobs = new Array<number[]>(n)
  let offset = 0
  for (let i = 0; i < n; i++) {
    const end = offset + numbers[lengthsAt + i]!
    tokens[i] = text.slice(offset, end)
    logprobs[i] = numbers[logprobsAt + i]!
    offset = end
  }
  let s = n
  let k = 0
  for (let i = 0; i < n; i++) {
    const count = numbers[countsAt + i]!
    const names = new Array<string>(count)
    const values = new Array<number>(count)
    for (let j = 0; j < count; j++, s++, k++) {
      const end = offset + numbers[lengthsAt + s]!
      names[j] = text.slice(offset, end)
      values[j] = numbers[topAt + k]!
      offset = end
    }
    topTokens[i] = names
    topLogprobs[i] = values
  }
  return { tokens, logprobs, topTokens, topLogprobs }
}
