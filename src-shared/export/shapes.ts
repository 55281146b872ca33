// TRL accepts prompt/completion-style rows either as plain strings ("standard") or as message lists
// ("conversational"); one option picks which, and these two helpers apply it the same way everywhere.
import type { ChatMessage, FormatOptions } from './format-options'
import { promptString } from './record-texts'

export const shapePrompt = (messages: ChatMessage[], options: FormatOptions): string | ChatMessage[] =>
  options.shape === 'messages' ? messages : promptString(messages)

export const shapeCompletion = (text: string, options: FormatOptions): string | ChatMessage[] =>
  options.shape === 'messages' ? [{ role: 'assistant', content: text }] : text
