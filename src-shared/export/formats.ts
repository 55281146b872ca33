// The export formats by id: each a pure formatter from records to rows, the file extension its lines go
// in, and how LLaMA-Factory reads it. Lines are JSON.stringify of a row plus '\n' (JSON Lines), nothing else.
import type { ExportRecord } from './export-record'
import type { FormatOptions, Formatter } from './format-options'
import { alpaca } from './formats/alpaca'
import { critique } from './formats/critique'
import { distillation } from './formats/distillation'
import { dpo } from './formats/dpo'
import { kto } from './formats/kto'
import { openAiPreference } from './formats/openai-preference'
import { sftMessages } from './formats/sft-messages'
import { sftPromptCompletion } from './formats/sft-prompt-completion'
import { shareGpt } from './formats/sharegpt'

export const formatIds = [
  'sft-messages',
  'sft-prompt-completion',
  'dpo',
  'kto',
  'openai-chat',
  'openai-preference',
  'alpaca',
  'sharegpt',
  'critique',
  'distillation',
] as const
export type FormatId = (typeof formatIds)[number]

export type ExportFormat = {
  label: string
  formatter: Formatter
  extension: 'jsonl'
  /** How LLaMA-Factory reads the file (see formats/llama-factory.ts), or null where it cannot. */
  llamaFactory: 'alpaca' | 'sharegpt' | null
}

export const exportFormats: Record<FormatId, ExportFormat> = {
  'sft-messages': {
    label: 'SFT, conversational',
    formatter: sftMessages,
    extension: 'jsonl',
    llamaFactory: 'sharegpt',
  },
  'sft-prompt-completion': {
    label: 'SFT, prompt–completion',
    formatter: sftPromptCompletion,
    extension: 'jsonl',
    llamaFactory: 'alpaca',
  },
  dpo: { label: 'DPO / preference', formatter: dpo, extension: 'jsonl', llamaFactory: 'alpaca' },
  kto: { label: 'KTO / unpaired preference', formatter: kto, extension: 'jsonl', llamaFactory: 'alpaca' },
  // OpenAI's chat fine-tuning line is the conversational SFT line; one formatter keeps them identical.
  'openai-chat': {
    label: 'OpenAI chat',
    formatter: sftMessages,
    extension: 'jsonl',
    llamaFactory: 'sharegpt',
  },
  'openai-preference': {
    label: 'OpenAI preference',
    formatter: openAiPreference,
    extension: 'jsonl',
    llamaFactory: null,
  },
  alpaca: { label: 'Alpaca', formatter: alpaca, extension: 'jsonl', llamaFactory: 'alpaca' },
  sharegpt: { label: 'ShareGPT', formatter: shareGpt, extension: 'jsonl', llamaFactory: 'sharegpt' },
  critique: { label: 'Critique', formatter: critique, extension: 'jsonl', llamaFactory: 'alpaca' },
  distillation: {
    label: 'Distillation (logprobs)',
    formatter: distillation,
    extension: 'jsonl',
    llamaFactory: null,
  },
}

export const toJsonLine = (row: object): string => `${JSON.stringify(row)}\n`

/** Every row of every record, in record order. */
export function formatRows(
  formatId: FormatId,
  records: readonly ExportRecord[],
  options: FormatOptions,
): object[] {
  const { formatter } = exportFormats[formatId]
  return records.flatMap((record) => formatter(record, options))
}

export const formatLines = (
  formatId: FormatId,
  records: readonly ExportRecord[],
  options: FormatOptions,
): string[] => formatRows(formatId, records, options).map(toJsonLine)
