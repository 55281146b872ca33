// OpenAI preference fine-tuning (DPO): the prompt under input.messages, one assistant message on each side.
import type { ChatMessage, Formatter } from '../format-options'
import { preferencePairs } from './preference-pairs'

type AssistantMessage = { role: 'assistant'; content: string }
export type OpenAiPreferenceRow = {
  input: { messages: ChatMessage[] }
  preferred_output: AssistantMessage[]
  non_preferred_output: AssistantMessage[]
}

export const openAiPreference: Formatter<OpenAiPreferenceRow> = (record, options) =>
  preferencePairs(record, options).map((pair) => ({
    input: { messages: pair.prompt },
    preferred_output: [{ role: 'assistant', content: pair.chosen }],
    non_preferred_output: [{ role: 'assistant', content: pair.rejected }],
  }))
