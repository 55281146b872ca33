// DPO / preference (TRL): {prompt, chosen, rejected}, strings or message lists, one row per pair.
import type { ChatMessage, Formatter } from '../format-options'
import { shapeCompletion, shapePrompt } from '../shapes'
import { preferencePairs } from './preference-pairs'

export type DpoRow = {
  prompt: string | ChatMessage[]
  chosen: string | ChatMessage[]
  rejected: string | ChatMessage[]
}

export const dpo: Formatter<DpoRow> = (record, options) =>
  preferencePairs(record, options).map((pair) => ({
    prompt: shapePrompt(pair.prompt, options),
    chosen: shapeCompletion(pair.chosen, options),
    rejected: shapeCompletion(pair.rejected, options),
  }))
