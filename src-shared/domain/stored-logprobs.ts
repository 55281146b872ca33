// How a candidate's per-token logprobs are written in the project log since candidates.recorded v4: the
// token strings as one string, the numbers as base64 blocks of little-endian binary (string lengths as
// uint32, alternative counts as uint8, logprobs as float64). Writing 256 doubles as decimal text was the
// largest single cost of recording a candidate (number formatting, ~40 µs of ~60 for the whole event) and
// half its bytes; the blocks are exact to the bit and decode into the same columns (token-logprobs.ts).
import { z } from 'zod'
import type { CompactLogprobs } from './token-logprobs'

export const storedLogprobs = z.object({
  /** Every chosen token, then every alternative, token by token, concatenated. */
  text: z.string(),
  /** uint32 per string of `text`, in the same order. */
  lengths: z.string(),
  /** uint8 per token: how many alternatives it has (top-k is at most 20). */
  counts: z.string(),
  /** float64 per token: the chosen token's logprob. */
  logprobs: z.string(),
  /** float64 per alternative, token by token. */
  topLogprobs: z.string(),
})
export type StoredLogprobs = z.infer<typeof storedLogprobs>

// Shared code is typed without the DOM or Node: atob is a global in both browsers and Node 16+.
declare function atob(data: string): string

/** The platforms Winnow runs on are little-endian; typed arrays are read and written as such. */
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export function encodeLogprobs(
  columns: CompactLogprobs,
  toBase64: (bytes: Uint8Array) => string,
): StoredLogprobs {
  if (!isLittleEndian) throw new Error('Winnow writes logprobs as little-endian binary only')
  const n = columns.tokens.length
  let alternatives = 0
  for (let i = 0; i < n; i++) alternatives += columns.topTokens[i]!.length
  const lengths = new Uint32Array(n + alternatives)
  const counts = new Uint8Array(n)
  const logprobs = new Float64Array(n)
  const topLogprobs = new Float64Array(alternatives)
  const strings = new Array<string>(n + alternatives)
  for (let i = 0; i < n; i++) {
    strings[i] = columns.tokens[i]!
    lengths[i] = strings[i]!.length
    logprobs[i] = columns.logprobs[i]!
  }
  let s = n
  let k = 0
  for (let i = 0; i < n; i++) {
    const names = columns.topTokens[i]!
    const values = columns.topLogprobs[i]!
    if (names.length > 255) throw new RangeError(`token ${i} has ${names.length} alternatives (at most 255)`)
    counts[i] = names.length
    for (let j = 0; j < names.length; j++, s++, k++) {
      strings[s] = names[j]!
      lengths[s] = names[j]!.length
      topLogprobs[k] = values[j]!
    }
  }
  const bytes = (array: ArrayBufferView): Uint8Array =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
  return {
    text: strings.join(''),
    lengths: toBase64(bytes(lengths)),
    counts: toBase64(counts),
    logprobs: toBase64(bytes(logprobs)),
    topLogprobs: toBase64(bytes(topLogprobs)),
  }
}

/** The columns back; throws when the blocks do not fit together (a damaged or forged event). */
export function decodeLogprobs(stored: StoredLogprobs): CompactLogprobs {
  if (!isLittleEndian) throw new Error('Winnow reads logprobs as little-endian binary only')
  const lengths = typed(stored.lengths, 4, (b) => new Uint32Array(b))
  const counts = typed(stored.counts, 1, (b) => new Uint8Array(b))
  const chosen = typed(stored.logprobs, 8, (b) => new Float64Array(b))
  const top = typed(stored.topLogprobs, 8, (b) => new Float64Array(b))
  const n = counts.length
  let alternatives = 0
  for (let i = 0; i < n; i++) alternatives += counts[i]!
  if (chosen.length !== n || top.length !== alternatives || lengths.length !== n + alternatives)
    throw new Error('stored logprobs: the blocks differ in length')
  const tokens = new Array<string>(n)
  const logprobs = new Array<number>(n)
  const topTokens = new Array<string[]>(n)
  const topLogprobs = new Array<number[]>(n)
  let offset = 0
  const take = (index: number): string => {
    const end = offset + lengths[index]!
    if (end > stored.text.length) throw new Error('stored logprobs: the text is shorter than its lengths')
    const piece = stored.text.slice(offset, end)
    offset = end
    return piece
  }
  for (let i = 0; i < n; i++) {
    tokens[i] = take(i)
    logprobs[i] = chosen[i]!
  }
  let s = n
  let k = 0
  for (let i = 0; i < n; i++) {
    const count = counts[i]!
    const names = new Array<string>(count)
    const values = new Array<number>(count)
    for (let j = 0; j < count; j++, s++, k++) {
      names[j] = take(s)
      values[j] = top[k]!
    }
    topTokens[i] = names
    topLogprobs[i] = values
  }
  if (offset !== stored.text.length) throw new Error('stored logprobs: the text is longer than its lengths')
  return { tokens, logprobs, topTokens, topLogprobs }
}

/** base64 → a typed array over a fresh, aligned buffer (atob: in browsers and in Node alike). */
function typed<T>(base64: string, width: number, view: (buffer: ArrayBuffer) => T): T {
  const binary = atob(base64)
  if (binary.length % width !== 0) throw new Error('stored logprobs: a block is cut short')
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return view(bytes.buffer)
}
