// The fixed column schema of each format's rows, written once and read two ways: as a Parquet schema (nested
// lists and structs, the 3-level LIST layout every reader understands) and as the Hugging Face card's
// `dataset_info.features`. Distillation has none: its prompt is a message list or a raw string by candidate.
import type { FormatOptions } from './format-options'
import type { FormatId } from './formats'

export type ColumnType =
  'string' | 'boolean' | 'double' | { list: ColumnType } | { struct: Record<string, ColumnType> }
export type Columns = Record<string, ColumnType>

const messages: ColumnType = { list: { struct: { role: 'string', content: 'string' } } }

/** The columns of a format's rows under these options, or null where rows have no fixed schema. */
export function columnsFor(formatId: FormatId, options: FormatOptions): Columns | null {
  const shaped: ColumnType = options.shape === 'messages' ? messages : 'string'
  switch (formatId) {
    case 'sft-messages':
    case 'openai-chat':
      return { messages }
    case 'sft-prompt-completion':
    case 'critique':
      return { prompt: shaped, completion: shaped }
    case 'dpo':
      return { prompt: shaped, chosen: shaped, rejected: shaped }
    case 'kto':
      return { prompt: shaped, completion: shaped, label: 'boolean' }
    case 'openai-preference':
      return { input: { struct: { messages } }, preferred_output: messages, non_preferred_output: messages }
    case 'alpaca': {
      const columns: Columns = { instruction: 'string', input: 'string', output: 'string' }
      if (options.systemPrompt !== null) columns.system = 'string'
      return columns
    }
    case 'sharegpt':
      return { conversations: { list: { struct: { from: 'string', value: 'string' } } } }
    case 'distillation':
      return null
  }
}
