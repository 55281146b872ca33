// The accepted text in one exported row: the assistant turn a person chose or wrote. llama-finetune trains
// on plain text, so its training file is rebuilt from a frozen export's rows rather than from the store.
import type { FormatId } from '../export/formats'

/** The formats whose rows carry exactly one accepted text, in the order a plain-text recipe prefers them. */
export const textBearingFormats = [
  'sft-prompt-completion',
  'sft-messages',
  'openai-chat',
  'alpaca',
  'sharegpt',
] as const satisfies readonly FormatId[]
export type TextBearingFormat = (typeof textBearingFormats)[number]

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function lastTurn(turns: unknown, roleKey: string, role: string, textKey: string): string | null {
  if (!Array.isArray(turns)) return null
  const last: unknown = turns[turns.length - 1]
  return isRecord(last) && last[roleKey] === role && typeof last[textKey] === 'string' ? last[textKey] : null
}

/** The row's accepted text, or null when the row is not of that format. */
export function acceptedTextOfRow(format: TextBearingFormat, row: unknown): string | null {
  if (!isRecord(row)) return null
  switch (format) {
    case 'sft-prompt-completion':
      return typeof row.completion === 'string'
        ? row.completion
        : lastTurn(row.completion, 'role', 'assistant', 'content')
    case 'sft-messages':
    case 'openai-chat':
      return lastTurn(row.messages, 'role', 'assistant', 'content')
    case 'alpaca':
      return typeof row.output === 'string' ? row.output : null
    case 'sharegpt':
      return lastTurn(row.conversations, 'from', 'gpt', 'value')
  }
}
