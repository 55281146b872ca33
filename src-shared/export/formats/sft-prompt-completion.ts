// SFT, prompt–completion (TRL): the prompt and the accepted text, as strings or as message lists.
import type { ChatMessage, Formatter } from '../format-options'
import { acceptedText, promptMessages } from '../record-texts'
import { shapeCompletion, shapePrompt } from '../shapes'

export type PromptCompletionRow = { prompt: string | ChatMessage[]; completion: string | ChatMessage[] }

export const sftPromptCompletion: Formatter<PromptCompletionRow> = (record, options) => {
  const accepted = acceptedText(record, options)
  if (accepted === null) return []
  const prompt = shapePrompt(promptMessages(record, options), options)
  return [{ prompt, completion: shapeCompletion(accepted, options) }]
}
