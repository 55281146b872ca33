// Logprob columns as blocks: the token strings as one string, and the numbers as typed arrays (string
// lengths as uint32, alternative counts as uint8, logprobs as float64). Two uses: the project log stores
// them so since candidates.recorded v4 (the arrays as base64 of their little-endian bytes) — writing 256
// doubles as decimal text was most of a candidate event's serialisation, and half its bytes — and the
// generation thread hands them to main so (the arrays transferred, not cloned). Exact to the bit both ways.
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

export interface LogprobBlocks {
  text: string
  lengths: Uint32Array
  counts: Uint8Array
  logprobs: Float64Array
  topLogprobs: Float64Array
}

// Shared code is typed without the DOM or Node: atob is a global in both browsers and Node 16+.
declare function atob(data: string): string

/** The platforms Winnow runs on are little-endian; typed arrays are stored and read as such. */
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * The blocks a column set was read from, so writing it to the log does not build them again: a candidate
 * streamed on the generation thread arrives as blocks, is held as columns, and is stored as blocks. Column
 * sets are never changed once made, so the blocks stay theirs.
 */
const blocksOf = new WeakMap<CompactLogprobs, LogprobBlocks>()

export function toBlocks(columns: CompactLogprobs): LogprobBlocks {
  const known = blocksOf.get(columns)
  if (known) return known
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
  return { text: strings.join(''), lengths, counts, logprobs, topLogprobs }
}

/** The columns back; throws when the blocks do not fit together (a damaged or forged event). */
export function fromBlocks(blocks: LogprobBlocks): CompactLogprobs {
  const { text, lengths, counts } = blocks
  const n = counts.length
  let alternatives = 0
  for (let i = 0; i < n; i++) alternatives += counts[i]!
  if (
    blocks.logprobs.length !== n ||
    blocks.topLogprobs.length !== alternatives ||
    lengths.length !== n + alternatives
  )
    throw new Error('stored logprobs: the blocks differ in length')
  const tokens = new Array<string>(n)
  const logprobs = new Array<number>(n)
  const topTokens = new Array<string[]>(n)
  const topLogprobs = new Array<number[]>(n)
  let offset = 0
  const take = (index: number): string => {
    const end = offset + lengths[index]!
    if (end > text.length) throw new Error('stored logprobs: the text is shorter than its lengths')
    const piece = text.slice(offset, end)
    offset = end
    return piece
  }
  for (let i = 0; i < n; i++) {
    tokens[i] = take(i)
    logprobs[i] = blocks.logprobs[i]!
  }
  let s = n
  let k = 0
  for (let i = 0; i < n; i++) {
    const count = counts[i]!
    const names = new Array<string>(count)
    const values = new Array<number>(count)
    for (let j = 0; j < count; j++, s++, k++) {
      names[j] = take(s)
      values[j] = blocks.topLogprobs[k]!
    }
    topTokens[i] = names
    topLogprobs[i] = values
  }
  if (offset !== text.length) throw new Error('stored logprobs: the text is longer than its lengths')
  const columns = { tokens, logprobs, topTokens, topLogprobs }
  blocksOf.set(columns, blocks)
  return columns
}

export function encodeLogprobs(
  columns: CompactLogprobs,
  toBase64: (bytes: Uint8Array) => string,
): StoredLogprobs {
  if (!isLittleEndian) throw new Error('Winnow writes logprobs as little-endian binary only')
  const blocks = toBlocks(columns)
  const bytes = (array: ArrayBufferView): Uint8Array =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
  return {
    text: blocks.text,
    lengths: toBase64(bytes(blocks.lengths)),
    counts: toBase64(blocks.counts),
    logprobs: toBase64(bytes(blocks.logprobs)),
    topLogprobs: toBase64(bytes(blocks.topLogprobs)),
  }
}

export function decodeLogprobs(stored: StoredLogprobs): CompactLogprobs {
  if (!isLittleEndian) throw new Error('Winnow reads logprobs as little-endian binary only')
  return fromBlocks({
    text: stored.text,
    lengths: typed(stored.lengths, 4, (b) => new Uint32Array(b)),
    counts: typed(stored.counts, 1, (b) => new Uint8Array(b)),
    logprobs: typed(stored.logprobs, 8, (b) => new Float64Array(b)),
    topLogprobs: typed(stored.topLogprobs, 8, (b) => new Float64Array(b)),
  })
}

/** base64 → a typed array over a fresh, aligned buffer (atob: in browsers and in Node alike). */
function typed<T>(base64: string, width: number, view: (buffer: ArrayBuffer) => T): T {
  const binary = atob(base64)
  if (binary.length % width !== 0) throw new Error('stored logprobs: a block is cut short')
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return view(bytes.buffer)
}
