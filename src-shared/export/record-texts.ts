// The texts every format is made of: the prompt for a record, the accepted text, and the texts of the
// negatives, with reasoning traces stripped or kept as the options say. Empty artifacts (a candidate that
// was all thinking) are dropped here, once, rather than in each format.
import { renderTemplate } from '../domain/prompt-template'
import type { ExportCandidate, ExportRecord } from './export-record'
import type { ChatMessage, FormatOptions } from './format-options'

const thinkBlock = /<think>[\s\S]*?<\/think>\s*/g

export const hasThinkBlock = (text: string): boolean => /<think>[\s\S]*?<\/think>/.test(text)
export const stripThinkBlocks = (text: string): string => text.replace(thinkBlock, '')

/** A candidate's text as exported: think blocks removed, or the separate trace put back in front of it. */
export function candidateArtifact(candidate: ExportCandidate, options: FormatOptions): string {
  if (!options.includeReasoning) return stripThinkBlocks(candidate.text)
  return candidate.thinking === null
    ? candidate.text
    : `<think>\n${candidate.thinking}\n</think>\n\n${candidate.text}`
}

/** [system?, user]: the prompt template rendered for the record's source. */
export function promptMessages(record: ExportRecord, options: FormatOptions): ChatMessage[] {
  const sample = { ...record.source, externalId: record.externalId }
  const { prompt } = renderTemplate(
    { mode: 'chat', system: options.systemPrompt, template: options.promptTemplate },
    sample,
  )
  return prompt.mode === 'chat' ? prompt.messages : [{ role: 'user', content: prompt.text }]
}

/** The prompt as one string, for formats without a system slot. */
export const promptString = (messages: ChatMessage[]): string => messages.map((m) => m.content).join('\n\n')

export const userContent = (messages: ChatMessage[]): string =>
  messages.find((m) => m.role === 'user')?.content ?? ''

export const systemContent = (messages: ChatMessage[]): string | null =>
  messages.find((m) => m.role === 'system')?.content ?? null

/** The accepted text, or null when nothing was accepted. An edit never gains the original's reasoning. */
export function acceptedText(record: ExportRecord, options: FormatOptions): string | null {
  const { status, finalText, chosenCandidateId } = record.review
  if (finalText === null) return null
  const chosen = record.candidates.find((c) => c.id === chosenCandidateId)
  const text =
    status === 'selected' && chosen !== undefined
      ? candidateArtifact(chosen, options)
      : options.includeReasoning
        ? finalText
        : stripThinkBlocks(finalText)
  return text.trim() === '' ? null : text
}

export type Negative = { candidate: ExportCandidate; text: string }

/** The negatives' texts, worst first, without empty ones or ones equal to the accepted text. */
export function negativeTexts(record: ExportRecord, options: FormatOptions): Negative[] {
  const accepted = acceptedText(record, options)
  const negatives: Negative[] = []
  for (const id of record.review.negativeIds) {
    const candidate = record.candidates.find((c) => c.id === id)
    if (candidate === undefined) continue
    const text = candidateArtifact(candidate, options)
    if (text.trim() !== '' && text !== accepted) negatives.push({ candidate, text })
  }
  return negatives
}
