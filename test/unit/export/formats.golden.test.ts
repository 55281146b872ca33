// Golden lines per format for the fixture project, written by hand from docs/export-formats.md and the
// trainers' documented shapes (TRL, OpenAI, Alpaca, ShareGPT), not copied from the formatters' output.
import { describe, expect, it } from 'vitest'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { FormatOptions } from '@shared/export/format-options'
import { formatLines } from '@shared/export/formats'
import { critiqueQuestion } from '@shared/export/formats/critique'
import { expectGolden, expectKeys } from './expect-lines'
import { fixtureRecords, hebrewSource } from './fixture-project'

const records = fixtureRecords
const p1 = 'Rewrite the following text:\n\nThe cat sat on the mat.'
const p2 = 'Rewrite the following text:\n\nParis is the capital of France.'
const p3 = `Rewrite the following text:\n\n${hebrewSource}`
const cat = 'A cat was sitting on the mat.'
const edited = 'Paris is the capital city of France.'
const system = 'You are a careful editor.'
const user = (content: string) => ({ role: 'user', content })
const assistant = (content: string) => ({ role: 'assistant', content })
const withSystem: FormatOptions = { ...defaultFormatOptions, systemPrompt: system }
const asMessages: FormatOptions = { ...withSystem, shape: 'messages' }

describe('SFT and chat formats', () => {
  it('sft-messages: the accepted text (selected or edited) after the prompt; reject-all and skip give nothing', () => {
    const expected = [{ messages: [user(p1), assistant(cat)] }, { messages: [user(p2), assistant(edited)] }]
    expectGolden(formatLines('sft-messages', records, defaultFormatOptions), expected, ['messages'])
    expectGolden(formatLines('openai-chat', records, defaultFormatOptions), expected, ['messages'])
  })

  it('sft-messages with a system prompt puts it first', () => {
    const lines = formatLines('sft-messages', records.slice(0, 1), withSystem)
    expectGolden(
      lines,
      [{ messages: [{ role: 'system', content: system }, user(p1), assistant(cat)] }],
      ['messages'],
    )
  })

  it('sft-prompt-completion as strings (system leads the prompt) and as message lists', () => {
    expectGolden(
      formatLines('sft-prompt-completion', records, withSystem),
      [
        { prompt: `${system}\n\n${p1}`, completion: cat },
        { prompt: `${system}\n\n${p2}`, completion: edited },
      ],
      ['prompt', 'completion'],
    )
    expectGolden(
      formatLines('sft-prompt-completion', records.slice(0, 1), asMessages),
      [{ prompt: [{ role: 'system', content: system }, user(p1)], completion: [assistant(cat)] }],
      ['prompt', 'completion'],
    )
  })

  it('alpaca: the rendered prompt as instruction, empty input, system only when set', () => {
    const expected = [
      { instruction: p1, input: '', output: cat },
      { instruction: p2, input: '', output: edited },
    ]
    expectGolden(formatLines('alpaca', records, defaultFormatOptions), expected, [
      'instruction',
      'input',
      'output',
    ])
    expectGolden(
      formatLines('alpaca', records.slice(0, 1), withSystem),
      [{ instruction: p1, input: '', output: cat, system }],
      ['instruction', 'input', 'output', 'system'],
    )
  })

  it('sharegpt: from system, human, gpt', () => {
    expectGolden(
      formatLines('sharegpt', records, withSystem),
      [
        {
          conversations: [
            { from: 'system', value: system },
            { from: 'human', value: p1 },
            { from: 'gpt', value: cat },
          ],
        },
        {
          conversations: [
            { from: 'system', value: system },
            { from: 'human', value: p2 },
            { from: 'gpt', value: edited },
          ],
        },
      ],
      ['conversations'],
    )
  })

  it('reasoning: stripped by default; on request the separate trace is put back as a <think> block', () => {
    const lines = formatLines('sft-messages', records.slice(0, 1), {
      ...defaultFormatOptions,
      includeReasoning: true,
    })
    const withTrace = `<think>\nKeep it simple.\n</think>\n\n${cat}`
    expectGolden(lines, [{ messages: [user(p1), assistant(withTrace)] }], ['messages'])
  })

  it('a custom prompt template may use other sample variables', () => {
    const options = {
      ...defaultFormatOptions,
      promptTemplate: 'Edit {{external_id}} ({{meta.topic}}): {{text}}',
    }
    const lines = formatLines('sft-messages', records.slice(0, 1), options)
    expectGolden(
      lines,
      [{ messages: [user('Edit ext-s1 (s1): The cat sat on the mat.'), assistant(cat)] }],
      ['messages'],
    )
  })
})

describe('preference formats', () => {
  const lyon = 'Lyon is the capital of France.'
  const short = 'Paris, capital of France.'
  const feline = 'The feline sat upon the mat.'

  it('dpo, one pair per rejected candidate: flagged first, inline <think> stripped, partial candidates never', () => {
    expectGolden(
      formatLines('dpo', records, defaultFormatOptions),
      [
        { prompt: p1, chosen: cat, rejected: feline },
        { prompt: p2, chosen: edited, rejected: lyon },
        { prompt: p2, chosen: edited, rejected: short },
      ],
      ['prompt', 'chosen', 'rejected'],
    )
  })

  it('dpo, best-vs-worst, as message lists', () => {
    const options: FormatOptions = { ...defaultFormatOptions, shape: 'messages', pairPolicy: 'best-vs-worst' }
    expectGolden(
      formatLines('dpo', records, options),
      [
        { prompt: [user(p1)], chosen: [assistant(cat)], rejected: [assistant(feline)] },
        { prompt: [user(p2)], chosen: [assistant(edited)], rejected: [assistant(lyon)] },
      ],
      ['prompt', 'chosen', 'rejected'],
    )
  })

  it('openai-preference: input.messages, one assistant message on each side', () => {
    const options: FormatOptions = { ...withSystem, pairPolicy: 'best-vs-worst' }
    const input = (p: string) => ({ messages: [{ role: 'system', content: system }, user(p)] })
    expectGolden(
      formatLines('openai-preference', records, options),
      [
        { input: input(p1), preferred_output: [assistant(cat)], non_preferred_output: [assistant(feline)] },
        { input: input(p2), preferred_output: [assistant(edited)], non_preferred_output: [assistant(lyon)] },
      ],
      ['input', 'preferred_output', 'non_preferred_output'],
    )
  })

  it('kto: true for the selected and the edited text, false for flagged and rejected-all candidates only', () => {
    expectGolden(
      formatLines('kto', records, defaultFormatOptions),
      [
        { prompt: p1, completion: cat, label: true },
        { prompt: p2, completion: edited, label: true },
        { prompt: p2, completion: lyon, label: false },
        { prompt: p3, completion: 'Hello world 👋🏽', label: false },
        { prompt: p3, completion: 'שלום 𝔘', label: false },
      ],
      ['prompt', 'completion', 'label'],
    )
  })
})

describe('critique and distillation', () => {
  it('critique: one row per flag with a correction, source and flagged text in, reason and correction out', () => {
    const prompt = (source: string, rewrite: string) =>
      `Source:\n${source}\n\nRewrite:\n${rewrite}\n\n${critiqueQuestion}`
    expectGolden(
      formatLines('critique', records, defaultFormatOptions),
      [
        {
          prompt: prompt('Paris is the capital of France.', 'Lyon is the capital of France.'),
          completion:
            'Problem: Factual error. Wrong city.\n\nCorrected version:\nParis is the capital of France.',
        },
        {
          prompt: prompt(hebrewSource, 'Hello world 👋🏽'),
          completion: 'Problem: Meaning changed or information lost.\n\nCorrected version:\nשלום עולם 👋🏽',
        },
      ],
      ['prompt', 'completion'],
    )
  })

  it('distillation: the accepted unedited candidate, its own prompt, and per token {token, logprob, top_logprobs}', () => {
    const lines = formatLines('distillation', records, defaultFormatOptions)
    const expected = {
      prompt: [
        { role: 'system', content: 'You rewrite text.' },
        { role: 'user', content: 'Rewrite: The cat sat on the mat.' },
      ],
      completion: cat,
      logprobs: [
        {
          token: 'A',
          logprob: -0.25,
          top_logprobs: [
            { token: 'A', logprob: -0.25 },
            { token: 'The', logprob: -1.5 },
          ],
        },
        { token: ' cat', logprob: -0.5, top_logprobs: [{ token: ' cat', logprob: -0.5 }] },
        {
          token: ' was sitting on the mat.',
          logprob: -1,
          top_logprobs: [
            { token: ' was sitting on the mat.', logprob: -1 },
            { token: ' sat', logprob: -2 },
          ],
        },
      ],
    }
    expectGolden(lines, [expected], ['prompt', 'completion', 'logprobs'])
    for (const entry of (JSON.parse(lines[0] ?? '{}') as typeof expected).logprobs)
      expect(Object.keys(entry).sort()).toStrictEqual(['logprob', 'token', 'top_logprobs'])
  })
})

describe('the key-set check can fail', () => {
  it('rejects a missing field, an extra key, and a line that is not one JSON object per line', () => {
    const keys = ['prompt', 'completion']
    expect(() => expectKeys('{"prompt":"a"}\n', keys)).toThrow()
    expect(() => expectKeys('{"prompt":"a","completion":"b","label":true}\n', keys)).toThrow()
    expect(() => expectKeys('{"prompt":"a","completion":"b"}', keys)).toThrow()
    expect(() => expectKeys('{"prompt":"a",\n"completion":"b"}\n', keys)).toThrow()
    expect(() => expectKeys('{"prompt":"a","completion":"b"}\n', keys)).not.toThrow()
  })
})
