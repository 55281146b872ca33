// LLaMA-Factory dataset_info.json entries: the documented keys, and every column or tag they name is
// actually present in the rows, since LLaMA-Factory's loader indexes rows by those names.
import { describe, expect, it } from 'vitest'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { FormatOptions } from '@shared/export/format-options'
import type { FormatId } from '@shared/export/formats'
import { exportFormats, formatRows } from '@shared/export/formats'
import { llamaFactoryEntry } from '@shared/export/formats/llama-factory'
import { fixtureRecords } from './fixture-project'

const withSystem: FormatOptions = { ...defaultFormatOptions, systemPrompt: 'Be brief.' }

function expectColumnsPresent(formatId: FormatId, options: FormatOptions): void {
  const entry = llamaFactoryEntry(formatId, `${formatId}.jsonl`, options)
  expect(entry?.formatting).toBe(exportFormats[formatId].llamaFactory)
  for (const row of formatRows(formatId, fixtureRecords, options))
    for (const column of Object.values(entry?.columns ?? {})) expect(row).toHaveProperty(column)
}

describe('LLaMA-Factory entries', () => {
  it('alpaca maps instruction, input, output, and system only when rows carry it', () => {
    expect(llamaFactoryEntry('alpaca', 'a.jsonl', defaultFormatOptions)).toStrictEqual({
      file_name: 'a.jsonl',
      formatting: 'alpaca',
      columns: { prompt: 'instruction', query: 'input', response: 'output' },
    })
    expect(llamaFactoryEntry('alpaca', 'a.jsonl', withSystem)?.columns).toStrictEqual({
      prompt: 'instruction',
      query: 'input',
      response: 'output',
      system: 'system',
    })
    expectColumnsPresent('alpaca', defaultFormatOptions)
    expectColumnsPresent('alpaca', withSystem)
  })

  it('sharegpt names conversations and the from/value tags', () => {
    expect(llamaFactoryEntry('sharegpt', 's.jsonl', withSystem)).toStrictEqual({
      file_name: 's.jsonl',
      formatting: 'sharegpt',
      columns: { messages: 'conversations' },
      tags: {
        role_tag: 'from',
        content_tag: 'value',
        user_tag: 'human',
        assistant_tag: 'gpt',
        system_tag: 'system',
      },
    })
    expectColumnsPresent('sharegpt', withSystem)
    const roles = formatRows('sharegpt', fixtureRecords, withSystem).flatMap((row) =>
      (row as { conversations: { from: string }[] }).conversations.map((turn) => turn.from),
    )
    expect(new Set(roles)).toStrictEqual(new Set(['system', 'human', 'gpt']))
  })

  it('dpo is a ranking dataset over TRL string rows; message-list rows are not offered', () => {
    expect(llamaFactoryEntry('dpo', 'd.jsonl', defaultFormatOptions)).toStrictEqual({
      file_name: 'd.jsonl',
      formatting: 'alpaca',
      ranking: true,
      columns: { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' },
    })
    expectColumnsPresent('dpo', defaultFormatOptions)
    expect(llamaFactoryEntry('dpo', 'd.jsonl', { ...defaultFormatOptions, shape: 'messages' })).toBeNull()
  })

  it('kto maps label to kto_tag', () => {
    expect(llamaFactoryEntry('kto', 'k.jsonl', defaultFormatOptions)).toStrictEqual({
      file_name: 'k.jsonl',
      formatting: 'alpaca',
      columns: { prompt: 'prompt', response: 'completion', kto_tag: 'label' },
    })
    expectColumnsPresent('kto', defaultFormatOptions)
  })

  it('sft-messages reads as sharegpt with OpenAI role tags; openai-preference and distillation have no entry', () => {
    expect(llamaFactoryEntry('sft-messages', 'm.jsonl', withSystem)?.tags).toMatchObject({ role_tag: 'role' })
    expectColumnsPresent('sft-messages', withSystem)
    expect(llamaFactoryEntry('openai-preference', 'o.jsonl', defaultFormatOptions)).toBeNull()
    expect(llamaFactoryEntry('distillation', 'x.jsonl', defaultFormatOptions)).toBeNull()
  })
})
