// Distillation: for an accepted, unedited candidate with stored logprobs, the prompt the model actually
// saw (its chat messages, or the raw string) and per generated token {token, logprob, top_logprobs}.
// The tokens cover the text exactly as generated, so a candidate whose text holds a <think> block is left
// out unless reasoning is included: stripping the block would leave tokens that are not in the completion.
import type { ChatMessage, Formatter } from '../format-options'
import { hasThinkBlock } from '../record-texts'

export type TokenEntry = {
  token: string
  logprob: number
  top_logprobs: { token: string; logprob: number }[]
}
export type DistillationRow = { prompt: string | ChatMessage[]; completion: string; logprobs: TokenEntry[] }

export const distillation: Formatter<DistillationRow> = (record, options) => {
  const chosen = record.candidates.find((c) => c.id === record.review.chosenCandidateId)
  if (record.review.status !== 'selected' || chosen?.logprobs == null) return []
  if (!options.includeReasoning && hasThinkBlock(chosen.text)) return []
  const { tokens, logprobs, topTokens, topLogprobs } = chosen.logprobs
  const entries = tokens.map((token, i) => ({
    token,
    logprob: logprobs[i] ?? Number.NaN,
    top_logprobs: (topTokens[i] ?? []).map((alternative, j) => ({
      token: alternative,
      logprob: topLogprobs[i]?.[j] ?? Number.NaN,
    })),
  }))
  const prompt = chosen.prompt.mode === 'chat' ? chosen.prompt.messages : chosen.prompt.text
  return [{ prompt, completion: chosen.text, logprobs: entries }]
}
