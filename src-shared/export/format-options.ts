// What every formatter is told besides the record: how the source becomes the prompt, whether reasoning
// traces travel with the text, and for paired and unpaired formats the row shape and the pair policy.
import { z } from 'zod'
import type { ExportRecord } from './export-record'

export const pairPolicies = ['one-pair-per-rejected', 'best-vs-worst'] as const
export type PairPolicy = (typeof pairPolicies)[number]

export const formatOptions = z.object({
  /** Sent as a system message; in the plain-string shapes it leads the prompt, separated by a blank line. */
  systemPrompt: z.string().nullable(),
  /** Same syntax as generation templates: {{text}}, {{external_id}}, {{origin}}, {{meta.field}}. */
  promptTemplate: z.string().min(1),
  /** Off by default: a model should learn the artifact, not the thinking that led to it. */
  includeReasoning: z.boolean(),
  /** prompt-completion, DPO, KTO and critique rows: plain strings, or TRL's conversational message lists. */
  shape: z.enum(['strings', 'messages']),
  pairPolicy: z.enum(pairPolicies),
})
export type FormatOptions = z.infer<typeof formatOptions>

export const defaultFormatOptions: FormatOptions = {
  systemPrompt: null,
  promptTemplate: 'Rewrite the following text:\n\n{{text}}',
  includeReasoning: false,
  shape: 'strings',
  pairPolicy: 'one-pair-per-rejected',
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

/** A format: zero or more rows per record (a skipped sample gives none; DPO may give several). */
export type Formatter<Row extends object = object> = (record: ExportRecord, options: FormatOptions) => Row[]
