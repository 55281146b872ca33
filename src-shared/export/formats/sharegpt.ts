// ShareGPT: {conversations: [{from, value}]}, with from = system | human | gpt.
import type { Formatter } from '../format-options'
import { acceptedText, promptMessages } from '../record-texts'

export type ShareGptTurn = { from: 'system' | 'human' | 'gpt'; value: string }
export type ShareGptRow = { conversations: ShareGptTurn[] }

const fromOf = { system: 'system', user: 'human', assistant: 'gpt' } as const

export const shareGpt: Formatter<ShareGptRow> = (record, options) => {
  const accepted = acceptedText(record, options)
  if (accepted === null) return []
  const turns = promptMessages(record, options).map((m) => ({ from: fromOf[m.role], value: m.content }))
  return [{ conversations: [...turns, { from: 'gpt', value: accepted }] }]
}
