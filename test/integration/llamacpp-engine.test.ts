// The embedded llama.cpp engine with the real tiny model (../shared/models/stories260K.gguf), one thread,
// fixed seeds: determinism, valid logprobs, exact perplexity (real text beats shuffled words), cancel
// within 1 s with the partial text, GGUF metadata and the file digest.
import { fromCompactLogprobs } from '@shared/domain/token-logprobs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GenerationError, type GenerateRequest } from '../../src-main/engines/engine'
import { LlamaCppEngine, transcript } from '../../src-main/engines/llamacpp/llamacpp-engine'

const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')
const SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d'
const STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ' +
  'One day, she saw a big red ball. She ran to the ball and kicked it. The ball went very high. ' +
  'Lily was happy and she laughed.'

let engine: LlamaCppEngine

beforeAll(() => {
  engine = new LlamaCppEngine({ modelPath: MODEL, threads: 1 })
})
afterAll(async () => {
  await engine.close()
})

function request(over: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: 'stories260K.gguf',
    prompt: { mode: 'raw', text: 'Once upon a time' },
    sampling: { temperature: 0.8, topP: 0.95, topK: 40, seed: 42, maxTokens: 40, stop: [] },
    logprobs: null,
    think: false,
    signal: new AbortController().signal,
    ...over,
  }
}

describe('LlamaCppEngine', () => {
  it('reads the GGUF metadata and digests the file', async () => {
    const info = await engine.modelInfo()
    expect(info).toMatchObject({
      architecture: 'llama',
      vocabularySize: 512,
      fileSizeBytes: 1_185_376,
      sha256: SHA256,
      hasChatTemplate: false,
    })
    expect(info.contextLength).toBeGreaterThan(0)
    expect(info.parameterCount).toBe(292_800)
    const [listed] = await engine.listModels()
    expect(listed).toMatchObject({ digest: `sha256:${SHA256}`, sizeBytes: 1_185_376, family: 'llama' })
  })

  it('generates the same text twice for the same seed, streaming it in chunks', async () => {
    const chunks: string[] = []
    const a = await engine.generate(request({ onChunk: (c) => chunks.push(c.text) }))
    const b = await engine.generate(request())
    expect(a.text.length).toBeGreaterThan(10)
    expect(b.text).toBe(a.text)
    expect(chunks.join('')).toBe(a.text)
    expect(a.completionTokens).toBeGreaterThan(0)
    expect(a.completionTokens).toBeLessThanOrEqual(40)
    expect(a.promptTokens).toBeGreaterThan(1)
    expect(a.modelDigest).toBe(`sha256:${SHA256}`)
    expect(a.timings.firstTokenMs).not.toBeNull()
  })

  it('cuts the text at a stop string', async () => {
    const free = await engine.generate(request({ sampling: { ...request().sampling, maxTokens: 60 } }))
    const stop = free.text.slice(5, 8)
    const cut = await engine.generate(
      request({ sampling: { ...request().sampling, maxTokens: 60, stop: [stop] } }),
    )
    expect(cut.text).toBe(free.text.slice(0, free.text.indexOf(stop)))
    expect(cut.doneReason).toBe('stop')
  })

  it('returns valid per-token logprobs with sorted alternatives', async () => {
    const res = await engine.generate(request({ logprobs: { topK: 5 } }))
    expect(res.logprobs).not.toBeNull()
    const tokens = fromCompactLogprobs(res.logprobs!)
    expect(tokens.length).toBe(res.completionTokens)
    for (const t of tokens) {
      expect(Math.exp(t.logprob)).toBeGreaterThan(0)
      expect(Math.exp(t.logprob)).toBeLessThanOrEqual(1 + 1e-9)
      expect(t.top.length).toBeGreaterThan(0)
      expect(t.top.length).toBeLessThanOrEqual(5)
      for (let i = 1; i < t.top.length; i++)
        expect(t.top[i]!.logprob).toBeLessThanOrEqual(t.top[i - 1]!.logprob)
      const ps = t.top.map((x) => Math.exp(x.logprob))
      const rest = Math.max(0, 1 - ps.reduce((s, p) => s + p, 0))
      const entropy = -ps.reduce((s, p) => s + p * Math.log(p), 0) - (rest > 0 ? rest * Math.log(rest) : 0)
      expect(entropy).toBeGreaterThanOrEqual(0)
    }
  })

  it('scores a story far more likely than its words shuffled', async () => {
    const real = await engine.scoreText(STORY)
    const words = STORY.split(' ')
    // A fixed permutation (reverse interleave) so the test is deterministic.
    const shuffled = [
      ...words.filter((_, i) => i % 2 === 1).reverse(),
      ...words.filter((_, i) => i % 2 === 0),
    ]
    const bad = await engine.scoreText(shuffled.join(' '))
    expect(real.tokens.length).toBeGreaterThan(20)
    expect(real.tokens.every((t) => t.logprob <= 0 && Number.isFinite(t.logprob))).toBe(true)
    expect(real.perplexity).toBeGreaterThan(1)
    expect(real.perplexity).toBeLessThan(10)
    expect(bad.perplexity).toBeGreaterThan(real.perplexity * 10)
    // Exact: scoring twice gives bit-identical numbers.
    expect((await engine.scoreText(STORY)).perplexity).toBe(real.perplexity)
  })

  it('stops within 1 s when aborted mid-stream and keeps the partial text', async () => {
    const controller = new AbortController()
    let abortedAt = 0
    let seen = 0
    const pending = engine.generate(
      request({
        sampling: { ...request().sampling, maxTokens: null },
        signal: controller.signal,
        onChunk: () => {
          if (++seen === 5) {
            abortedAt = performance.now()
            controller.abort()
          }
        },
      }),
    )
    const err: unknown = await pending.catch((e: unknown) => e)
    expect(performance.now() - abortedAt).toBeLessThan(1_000)
    expect(err).toBeInstanceOf(GenerationError)
    expect((err as GenerationError).kind).toBe('aborted')
    expect((err as GenerationError).partialText.length).toBeGreaterThan(0)
  })

  it('renders chat prompts as a plain transcript (the model has no chat template)', async () => {
    expect(
      transcript([
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Tell a story.' },
      ]),
    ).toBe('System: Be kind.\nUser: Tell a story.\nAssistant:')
    const res = await engine.generate(
      request({ prompt: { mode: 'chat', messages: [{ role: 'user', content: 'Tell a story.' }] } }),
    )
    expect(res.completionTokens).toBeGreaterThan(0)
  })

  it('fails with not-found for a missing file', async () => {
    const missing = new LlamaCppEngine({ modelPath: resolve(import.meta.dirname, 'no-such-model.gguf') })
    const err: unknown = await missing.modelInfo().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GenerationError)
    expect((err as GenerationError).kind).toBe('not-found')
  })
})
