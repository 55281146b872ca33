// LLaMA-Factory's dataset_info.json entry for an exported JSONL file. Its loader reads every column it is
// told about (example[column]), so the mapping names exactly the columns our rows have: TRL's DPO and KTO
// rows are read through `columns` as alpaca-style datasets, so one file serves both trainers.
import type { FormatOptions } from '../format-options'

export type LlamaFactoryEntry = {
  file_name: string
  formatting: 'alpaca' | 'sharegpt'
  ranking?: true
  columns: Record<string, string>
  tags?: Record<string, string>
}

const openAiTags = {
  role_tag: 'role',
  content_tag: 'content',
  user_tag: 'user',
  assistant_tag: 'assistant',
  system_tag: 'system',
}

/** The entry for a format's file, or null where LLaMA-Factory cannot read that format's rows. */
export function llamaFactoryEntry(
  formatId: string,
  fileName: string,
  options: FormatOptions,
): LlamaFactoryEntry | null {
  const isStrings = options.shape === 'strings'
  switch (formatId) {
    case 'alpaca': {
      const columns: Record<string, string> = { prompt: 'instruction', query: 'input', response: 'output' }
      // Alpaca rows carry `system` only when a system prompt was set, and a mapped column must exist.
      if (options.systemPrompt !== null) columns.system = 'system'
      return { file_name: fileName, formatting: 'alpaca', columns }
    }
    case 'sharegpt':
      return {
        file_name: fileName,
        formatting: 'sharegpt',
        columns: { messages: 'conversations' },
        tags: {
          role_tag: 'from',
          content_tag: 'value',
          user_tag: 'human',
          assistant_tag: 'gpt',
          system_tag: 'system',
        },
      }
    case 'sft-messages':
    case 'openai-chat':
      return {
        file_name: fileName,
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: openAiTags,
      }
    case 'dpo':
      // LLaMA-Factory's message-list preference rows hold one message per side, not TRL's lists.
      if (!isStrings) return null
      return {
        file_name: fileName,
        formatting: 'alpaca',
        ranking: true,
        columns: { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' },
      }
    case 'kto':
      if (!isStrings) return null
      return {
        file_name: fileName,
        formatting: 'alpaca',
        columns: { prompt: 'prompt', response: 'completion', kto_tag: 'label' },
      }
    case 'sft-prompt-completion':
    case 'critique':
      if (!isStrings) return null
      return {
        file_name: fileName,
        formatting: 'alpaca',
        columns: { prompt: 'prompt', response: 'completion' },
      }
    default:
      return null
  }
}
