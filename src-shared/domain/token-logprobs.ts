// Per-token logprobs as stored: column arrays (chosen tokens, their logprobs, and per token the top-k
// alternatives' tokens and logprobs) instead of one object per token. A candidate of 64 tokens with
// top-5 alternatives is about a third of the bytes, and a third of the work to write and read back.
import { z } from 'zod'

/** One generated token: its logprob and its top alternatives, most likely first. */
export interface TokenLogprob {
  token: string
  logprob: number
  top: { token: string; logprob: number }[]
}

export const compactLogprobs = z
  .object({
    tokens: z.array(z.string()),
    logprobs: z.array(z.number()),
    topTokens: z.array(z.array(z.string())),
    topLogprobs: z.array(z.array(z.number())),
  })
  .refine(
    (c) =>
      c.logprobs.length === c.tokens.length &&
      c.topTokens.length === c.tokens.length &&
      c.topLogprobs.length === c.tokens.length &&
      c.topTokens.every((alternatives, i) => alternatives.length === c.topLogprobs[i]?.length),
    { message: 'logprob columns differ in length' },
  )
export type CompactLogprobs = z.infer<typeof compactLogprobs>

export function toCompactLogprobs(list: readonly TokenLogprob[]): CompactLogprobs {
  const compact: CompactLogprobs = { tokens: [], logprobs: [], topTokens: [], topLogprobs: [] }
  for (const entry of list) {
    compact.tokens.push(entry.token)
    compact.logprobs.push(entry.logprob)
    compact.topTokens.push(entry.top.map((alternative) => alternative.token))
    compact.topLogprobs.push(entry.top.map((alternative) => alternative.logprob))
  }
  return compact
}

export function fromCompactLogprobs(compact: CompactLogprobs): TokenLogprob[] {
  return compact.tokens.map((token, i) => ({
    token,
    logprob: compact.logprobs[i] ?? Number.NaN,
    top: (compact.topTokens[i] ?? []).map((alternative, j) => ({
      token: alternative,
      logprob: compact.topLogprobs[i]?.[j] ?? Number.NaN,
    })),
  }))
}
