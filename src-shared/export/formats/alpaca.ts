// Alpaca: {instruction, input, output} and `system` when a system prompt is set. The whole rendered prompt
// goes in `instruction` and `input` stays empty, so the trained prompt is byte-for-byte the one the
// other formats use (LLaMA-Factory joins instruction and a non-empty input with a newline).
import type { Formatter } from '../format-options'
import { acceptedText, promptMessages, systemContent, userContent } from '../record-texts'

export type AlpacaRow = { instruction: string; input: string; output: string; system?: string }

export const alpaca: Formatter<AlpacaRow> = (record, options) => {
  const output = acceptedText(record, options)
  if (output === null) return []
  const messages = promptMessages(record, options)
  const system = systemContent(messages)
  return [{ instruction: userContent(messages), input: '', output, ...(system === null ? {} : { system }) }]
}
