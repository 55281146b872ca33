// Critique / error recognition: the prompt shows the source and a flagged candidate, the completion names
// what is wrong (the flag's reason and note) and gives the person's correction. Only flags that carry a
// correction become rows, so the model always learns to fix what it points out, not only to point.
import { flagReasons } from '../../domain/decision'
import type { ExportFlag } from '../export-record'
import type { ChatMessage, Formatter } from '../format-options'
import { candidateArtifact } from '../record-texts'
import { shapeCompletion, shapePrompt } from '../shapes'

export type CritiqueRow = { prompt: string | ChatMessage[]; completion: string | ChatMessage[] }

export const critiqueQuestion =
  'What is wrong with the rewrite? Name the problem, then give a corrected version.'

/** A stored reason is any kebab-case id; ids outside the default taxonomy are shown as they are. */
const reasonLabel = (reason: string): string => flagReasons.find((r) => r.id === reason)?.label ?? reason

export function critiqueAnswer(flag: ExportFlag & { correction: string }): string {
  const note = flag.note === null || flag.note.trim() === '' ? '' : ` ${flag.note.trim()}`
  return `Problem: ${reasonLabel(flag.reason)}.${note}\n\nCorrected version:\n${flag.correction}`
}

export const critique: Formatter<CritiqueRow> = (record, options) =>
  record.review.flags.flatMap((flag) => {
    const candidate = record.candidates.find((c) => c.id === flag.candidateId)
    if (candidate === undefined || flag.correction === null || flag.correction.trim() === '') return []
    const question = `Source:\n${record.source.text}\n\nRewrite:\n${candidateArtifact(candidate, options)}\n\n${critiqueQuestion}`
    const messages: ChatMessage[] = [
      ...(options.systemPrompt === null ? [] : [{ role: 'system' as const, content: options.systemPrompt }]),
      { role: 'user', content: question },
    ]
    const answer = critiqueAnswer({ ...flag, correction: flag.correction })
    return [{ prompt: shapePrompt(messages, options), completion: shapeCompletion(answer, options) }]
  })
