// Preference pairs shared by TRL's DPO rows and OpenAI's preference rows: chosen is the accepted text,
// rejected each negative (one pair per rejected candidate) or only the worst one (best-vs-worst).
// Without an accepted text there is no pair: reject-all and flags alone feed KTO and critique instead.
import type { ExportRecord } from '../export-record'
import type { ChatMessage, FormatOptions } from '../format-options'
import { acceptedText, negativeTexts, promptMessages } from '../record-texts'

export type PreferencePair = { prompt: ChatMessage[]; chosen: string; rejected: string }

export function preferencePairs(record: ExportRecord, options: FormatOptions): PreferencePair[] {
  const chosen = acceptedText(record, options)
  if (chosen === null) return []
  const negatives = negativeTexts(record, options)
  // Negatives come worst first, so best-vs-worst is the head of the list.
  const picked = options.pairPolicy === 'best-vs-worst' ? negatives.slice(0, 1) : negatives
  const prompt = promptMessages(record, options)
  return picked.map((negative) => ({ prompt, chosen, rejected: negative.text }))
}
