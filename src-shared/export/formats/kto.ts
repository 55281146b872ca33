// KTO / unpaired preference (TRL): {prompt, completion, label}. The accepted text (selected or edited) is
// true; a flagged candidate, or any candidate after reject-all, is false. A candidate that was merely not
// picked is not labelled: it lost a comparison, which is not the same as being bad.
import type { ChatMessage, Formatter } from '../format-options'
import { acceptedText, negativeTexts, promptMessages } from '../record-texts'
import { shapeCompletion, shapePrompt } from '../shapes'

export type KtoRow = { prompt: string | ChatMessage[]; completion: string | ChatMessage[]; label: boolean }

export const kto: Formatter<KtoRow> = (record, options) => {
  const prompt = shapePrompt(promptMessages(record, options), options)
  const row = (text: string, label: boolean): KtoRow => ({
    prompt,
    completion: shapeCompletion(text, options),
    label,
  })
  const accepted = acceptedText(record, options)
  const isFlagged = (id: string): boolean => record.review.flags.some((flag) => flag.candidateId === id)
  const bad = negativeTexts(record, options).filter(
    (negative) => record.review.status === 'rejected' || isFlagged(negative.candidate.id),
  )
  return [
    ...(accepted === null ? [] : [row(accepted, true)]),
    ...bad.map((negative) => row(negative.text, false)),
  ]
}
