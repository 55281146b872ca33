// The generation thread (generate-thread.ts): the engine's whole suite again with every generate call
// crossing to the worker and back — each R8 fault, logprobs, thinking, abort, the per-host limit — then what
// only the thread can do wrong: results that differ from the same call made here, a live preview that loses
// text, and a thread that dies taking its calls with it.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GenerationError, type GenerateRequest } from '../../src-main/engines/engine'
import { OllamaEngine } from '../../src-main/engines/ollama/ollama-engine'
import { GenerateThread } from '../../src-main/engines/ollama/generate-thread'
import { fromBlocks, toBlocks } from '@shared/domain/stored-logprobs'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { ollamaEngineSuite } from './ollama-engine-suite'

ollamaEngineSuite({ thread: true })

describe('what crosses between the threads', () => {
  let fake: FakeOllamaServer
  const thread = new GenerateThread()
  beforeEach(async () => {
    fake = await new FakeOllamaServer().start()
  })
  afterEach(async () => {
    await fake.stop()
  })
  afterAll(async () => {
    await thread.close()
  })

  const request = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
    model: 'thinker',
    prompt: { mode: 'chat', messages: [{ role: 'user', content: 'Tell me about "cats" — 🐈 and \u202e.' }] },
    sampling: { temperature: 0.7, topP: 0.9, topK: 40, seed: 7, maxTokens: 48, stop: [] },
    logprobs: { topK: 5 },
    think: true,
    signal: new AbortController().signal,
    ...extra,
  })

  it('gives exactly the result of the same call made on this thread, and every streamed piece', async () => {
    const here = await new OllamaEngine({ host: fake.url }).generate(request())
    const pieces: { text: string; thinking: string }[] = []
    const there = await new OllamaEngine({ host: fake.url, generateThread: thread }).generate(
      request({ onChunk: (piece) => pieces.push(piece) }),
    )
    const { timings: _a, ...hereRest } = here
    const { timings: _b, ...thereRest } = there
    expect(thereRest).toEqual(hereRest)
    expect(there.logprobs?.tokens.length).toBe(48)
    expect(there.thinking).not.toBeNull()
    expect(pieces.map((p) => p.text).join('')).toBe(there.text)
    expect(pieces.map((p) => p.thinking).join('')).toBe(there.thinking)
  })

  it('hands logprob columns over as blocks bit for bit, odd strings and doubles included', () => {
    const columns = {
      tokens: ['', ' a', '🐈', '\u0000', '"\\'],
      logprobs: [-0, -1e-320, -Number.MIN_VALUE, -12.345678901234567, 0],
      topTokens: [[], ['x', ''], ['🐈', '\u202e', 'z'], ['\n'], []],
      topLogprobs: [[], [-1, -2], [-0.1, -0.2, -0.30000000000000004], [-Infinity], []],
    }
    const blocks = toBlocks(columns)
    const back = fromBlocks(blocks)
    expect(back).toEqual(columns)
    expect(Object.is(back.logprobs[0], -0)).toBe(true)
    // Stored to the log, the columns that came as blocks are not made into blocks again.
    expect(toBlocks(back)).toBe(blocks)
  })

  it('fails the calls of a thread that dies as retryable resets, and starts a new one for the next', async () => {
    fake.fail('chat', { kind: 'slow', delayMs: 200 })
    const engine = new OllamaEngine({ host: fake.url, generateThread: thread })
    const running = engine.generate(request({ logprobs: null, think: false })).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 300))
    await thread.restart()
    const err = (await running) as GenerationError
    expect(err).toBeInstanceOf(GenerationError)
    expect(err).toMatchObject({ kind: 'reset', isRetryable: true })
    expect(err.message).toMatch(/generation thread/)
    const again = await engine.generate(request({ logprobs: null, think: false }))
    expect(again.text.length).toBeGreaterThan(0)
  })

  it('refuses calls once closed', async () => {
    const closing = new GenerateThread()
    await closing.close()
    await expect(closing.generate({ host: fake.url }, request())).rejects.toMatchObject({ kind: 'aborted' })
  })
})
