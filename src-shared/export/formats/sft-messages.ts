// SFT, conversational (TRL's "messages"; also OpenAI's chat fine-tuning line): [system?, user, assistant],
// the assistant turn being the accepted text — the chosen candidate, or the person's edit.
import type { ChatMessage, Formatter } from '../format-options'
import { acceptedText, promptMessages } from '../record-texts'

export type SftMessagesRow = { messages: ChatMessage[] }

export const sftMessages: Formatter<SftMessagesRow> = (record, options) => {
  const accepted = acceptedText(record, options)
  if (accepted === null) return []
  return [{ messages: [...promptMessages(record, options), { role: 'assistant', content: accepted }] }]
}
