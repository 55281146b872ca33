// The Ollama engine against a protocol-faithful fake server: one test per R8 fault (the call ends in the
// expected GenerationError kind within its deadline, partial output is carried, nothing retries after the
// first chunk), plus logprobs, thinking, the per-host concurrency limit and the model/identity calls.
//
// Checked to fail: with the guard bypassed (ollama-engine.ts handing plain `fetch` to ollama-js), 12 of
// these tests fail: the malformed-line test resolves with the line's token missing instead of rejecting;
// 404/500/503 and the error-mid-stream test get plain Errors (no kind, so no retries either); both stall
// tests and abort-before-headers hang past a 5 s test timeout; HTML is not refused as 'content-type'; the
// giant line takes over 5 s of CPU; abort mid-stream is not an 'aborted' GenerationError; and
// listModels/show lose the 'not-found' kind. Truncated and reset pass either way (ollama-js checks those).
//
// The suite runs twice: with generate on the calling thread (ollama-engine.test.ts) and through the
// generation thread, as the app runs it (generate-thread.test.ts).
import { fromCompactLogprobs } from '@shared/domain/token-logprobs'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GenerationError, type GenerateRequest } from '../../src-main/engines/engine'
import { OllamaEngine, type OllamaEngineOptions } from '../../src-main/engines/ollama/ollama-engine'
import { GenerateThread } from '../../src-main/engines/ollama/generate-thread'
import { FakeOllamaServer, deterministicWords, embedding } from '../fakes/fake-ollama-server'
import { probeSampling } from '../../src-main/services/monitor/probe-job'

const DEADLINE_MS = 300
/** For the tests about deadlines; the others get generous ones, so a busy machine cannot fail them. */
const SHORT = { headersMs: DEADLINE_MS, firstChunkMs: DEADLINE_MS, idleMs: DEADLINE_MS }
export function ollamaEngineSuite(options: { thread: boolean }): void {
  let fake: FakeOllamaServer
  /** Through the generation thread, every generate call here crosses to the worker and back. */
  const thread = options.thread ? new GenerateThread() : null

  beforeEach(async () => {
    fake = await new FakeOllamaServer().start()
  })
  afterEach(async () => {
    await fake.stop()
  })
  afterAll(async () => {
    await thread?.close()
  })

  function engine(extra: Partial<OllamaEngineOptions> = {}): OllamaEngine {
    return new OllamaEngine({
      host: fake.url,
      deadlines: { headersMs: 10_000, firstChunkMs: 10_000, idleMs: 10_000 },
      retry: { attempts: 3, baseMs: 20, maxMs: 60 },
      generateThread: thread,
      ...extra,
    })
  }

  function request(extra: Partial<GenerateRequest> = {}): GenerateRequest {
    return {
      model: 'tiny',
      prompt: { mode: 'chat', messages: [{ role: 'user', content: 'Tell me about cats.' }] },
      sampling: { temperature: 0.7, topP: null, topK: null, seed: 7, maxTokens: null, stop: [] },
      logprobs: null,
      think: false,
      signal: new AbortController().signal,
      ...extra,
    }
  }

  /** Runs a generation expected to fail; returns the error and how long it took. */
  async function failing(e: OllamaEngine, req = request()): Promise<{ err: GenerationError; ms: number }> {
    const t0 = performance.now()
    try {
      const result = await e.generate(req)
      throw new Error(`expected a failure, got success: ${JSON.stringify(result.text)}`)
    } catch (err) {
      if (!(err instanceof GenerationError)) throw err
      return { err, ms: performance.now() - t0 }
    }
  }

  const expectedText = (prompt: string, seed: number, n = 6): string =>
    deterministicWords(prompt, seed, n).join(' ')

  describe('success paths', () => {
    it('streams a chat answer with counts, timings, done reason and provenance', async () => {
      const chunks: string[] = []
      const result = await engine().generate(request({ onChunk: (c) => chunks.push(c.text) }))
      const prompt = JSON.stringify([{ role: 'user', content: 'Tell me about cats.' }])
      expect(result.text).toBe(expectedText(prompt, 7))
      expect(chunks.join('')).toBe(result.text)
      expect(result.thinking).toBeNull()
      expect(result.logprobs).toBeNull()
      expect(result.completionTokens).toBe(6)
      expect(result.promptTokens).toBe(prompt.length)
      expect(result.doneReason).toBe('stop')
      expect(result.timings.firstTokenMs).not.toBeNull()
      expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.firstTokenMs ?? 0)
      expect(result.modelDigest).toBe(fake.models[0]?.digest)
      expect(result.engineVersion).toBe(fake.version)
      expect(result.host).toBe(fake.url)
    })

    it('sends a raw prompt to /api/generate with num_predict and reports done_reason length', async () => {
      const result = await engine().generate(
        request({
          prompt: { mode: 'raw', text: 'Once upon a time' },
          sampling: { temperature: 0, topP: 0.9, topK: 40, seed: 3, maxTokens: 4, stop: ['\n'] },
        }),
      )
      expect(result.text).toBe(expectedText('Once upon a time', 3, 4))
      expect(result.doneReason).toBe('length')
      expect(fake.count('generate')).toBe(1)
      expect(fake.count('chat')).toBe(0)
    })

    it('sends the decoding options the request asks for, repeat penalty only when it is given', async () => {
      await engine().generate(request({ sampling: probeSampling(11, 5) }))
      await engine().generate(request())
      const [probe, plain] = fake.generateRequests.map((body) => (body as { options?: object }).options)
      // The monitor's fixed decoding, as it reaches the server: no truncation, neutral repeat penalty.
      expect(probe).toEqual({
        temperature: 1,
        top_p: 1,
        top_k: 0,
        seed: 11,
        num_predict: 5,
        repeat_penalty: 1,
      })
      expect(plain).toEqual({ temperature: 0.7, seed: 7 }) // no repeat_penalty: the server's default stands
    })

    it('parses per-token logprobs with their alternatives', async () => {
      const result = await engine().generate(request({ logprobs: { topK: 3 } }))
      const tokens = fromCompactLogprobs(result.logprobs!)
      expect(tokens).toHaveLength(6)
      expect(tokens.map((l) => l.token).join('')).toBe(result.text)
      for (const lp of tokens) {
        expect(lp.logprob).toBeLessThanOrEqual(0)
        expect(lp.top).toHaveLength(3)
        expect(lp.top[0]?.token).toBe(lp.token)
      }
    })

    it('keeps the thinking field apart from the answer', async () => {
      const result = await engine().generate(request({ model: 'thinker', think: true }))
      expect(result.thinking?.trim().split(' ')).toHaveLength(3)
      expect(result.text).not.toContain(result.thinking?.trim() ?? '<none>')
      expect(result.completionTokens).toBe(6)
    })

    it('splits inline <think> blocks out of the text even when tags are cut across chunks', async () => {
      const result = await engine().generate(request({ model: 'inline-think' }))
      expect(result.thinking).toBe('pondering quietly')
      expect(result.text).not.toContain('think')
      expect(result.text.split(' ')).toHaveLength(6)
    })

    it('lists models with details, embeds, and reports version and show()', async () => {
      const e = engine()
      const models = await e.listModels()
      expect(models.map((m) => m.name)).toContain('tiny:latest')
      const tiny = models.find((m) => m.name === 'tiny:latest')
      expect(tiny).toMatchObject({ family: 'llama', quantization: 'Q8_0', parameterSize: '260K' })
      expect(tiny?.digest).toMatch(/^[0-9a-f]{64}$/)
      expect(tiny?.sizeBytes).toBeGreaterThan(0)
      expect(await e.embed('embedder', ['a', 'b'])).toEqual([embedding('a'), embedding('b')])
      expect(await e.version()).toBe(fake.version)
      const shown = await e.show('thinker')
      expect(shown.digest).toBe(fake.models[1]?.digest)
      expect(shown.capabilities).toContain('thinking')
      await expect(e.show('nope')).rejects.toMatchObject({ kind: 'not-found' })
    })

    it('honours the per-host concurrency limit', async () => {
      fake.standing = { kind: 'slow', delayMs: 20 }
      const e = engine({ maxConcurrent: 2 })
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          e.generate(request({ sampling: { ...request().sampling, seed: i } })),
        ),
      )
      expect(results).toHaveLength(6)
      expect(fake.count('chat')).toBe(6)
      expect(fake.maxInFlight.get('chat')).toBe(2)
    })
  })

  describe('R8 faults', () => {
    it('refused: a port that is not listening fails as refused after the retry limit', async () => {
      const url = fake.url
      await fake.stop()
      const { err, ms } = await failing(
        new OllamaEngine({ host: url, retry: { attempts: 3, baseMs: 20, maxMs: 60 } }),
      )
      expect(err.kind).toBe('refused')
      expect(err.attempts).toBe(3)
      expect(err.isRetryable).toBe(true)
      expect(ms).toBeLessThan(1_000)
    })

    it('refused: retried before the first token and succeeds once the server is back', async () => {
      await fake.refuseFor(80)
      const result = await engine({ retry: { attempts: 6, baseMs: 40, maxMs: 100 } }).generate(request())
      expect(result.text.split(' ')).toHaveLength(6)
      expect(fake.count('chat')).toBe(1)
    })

    it('404 model missing: not-found, not retried', async () => {
      const { err } = await failing(engine(), request({ model: 'missing' }))
      expect(err.kind).toBe('not-found')
      expect(err.message).toContain('not found, try pulling it first')
      expect(err.attempts).toBe(1)
      expect(fake.count('chat')).toBe(1)
    })

    it('500: retried up to the limit, then server-error; succeeds if it clears', async () => {
      fake.fail('chat', { kind: 'server-error' }, 3)
      const { err } = await failing(engine())
      expect(err.kind).toBe('server-error')
      expect(err.attempts).toBe(3)
      expect(fake.count('chat')).toBe(3)
      fake.fail('chat', { kind: 'server-error' }, 2)
      const result = await engine().generate(request())
      expect(result.text).not.toBe('')
      expect(fake.count('chat')).toBe(6)
    })

    it('503 busy: retried before the first token and succeeds when the queue drains', async () => {
      fake.fail('chat', { kind: 'busy' }, 2)
      const result = await engine().generate(request())
      expect(result.completionTokens).toBe(6)
      expect(fake.count('chat')).toBe(3)
      fake.fail('chat', { kind: 'busy' }, 3)
      const { err } = await failing(engine())
      expect(err).toMatchObject({ kind: 'busy', attempts: 3, isRetryable: true })
    })

    it('stall before headers: timeout within the headers deadline, retryable by the job, not by the engine', async () => {
      fake.fail('chat', { kind: 'stall-headers' })
      const { err, ms } = await failing(engine({ deadlines: SHORT }))
      expect(err).toMatchObject({ kind: 'timeout', isRetryable: true, partialText: '' })
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20)
      expect(ms).toBeLessThan(DEADLINE_MS + 500)
      expect(fake.count('chat')).toBe(1)
    })

    it('stall mid-stream: timeout within the idle deadline, partial carried, no retry', async () => {
      fake.fail('chat', { kind: 'stall-mid', afterChunks: 2 })
      const { err, ms } = await failing(engine({ deadlines: SHORT }))
      expect(err).toMatchObject({ kind: 'timeout', isRetryable: false })
      expect(err.partialText.split(' ')).toHaveLength(2)
      expect(ms).toBeLessThan(DEADLINE_MS + 500)
      expect(fake.count('chat')).toBe(1)
    })

    it('truncated stream (ends without done): truncated, partial carried, no retry', async () => {
      fake.fail('chat', { kind: 'truncate', afterChunks: 3 })
      const { err } = await failing(engine())
      expect(err).toMatchObject({ kind: 'truncated', isRetryable: false })
      expect(err.partialText.split(' ')).toHaveLength(3)
      expect(fake.count('chat')).toBe(1)
    })

    it('connection reset mid-stream: reset, partial carried, no retry after the first token', async () => {
      fake.fail('chat', { kind: 'reset', afterChunks: 2 })
      const { err } = await failing(engine())
      expect(err).toMatchObject({ kind: 'reset', isRetryable: false })
      expect(err.partialText).not.toBe('')
      expect(fake.count('chat')).toBe(1)
    })

    // 'malformed' is caught by the checker itself (the line is not braced); 'malformed-braced' looks like an
    // object, so only ollama-js's parse fails on it: it drops the line and the line count gives it away.
    it.each(['malformed', 'malformed-braced'] as const)(
      '%s NDJSON line: the candidate fails with exactly the text before it, instead of a dropped token',
      async (kind) => {
        fake.fail('generate', { kind, afterChunks: 2 })
        const outcome = await engine()
          .generate(request({ prompt: { mode: 'raw', text: 'p' } }))
          .then(
            (r) => ({ ok: true as const, text: r.text }),
            (e: unknown) => ({ ok: false as const, e }),
          )
        expect(outcome.ok).toBe(false)
        if (outcome.ok) return
        expect(outcome.e).toBeInstanceOf(GenerationError)
        expect(outcome.e).toMatchObject({ kind: 'malformed', isRetryable: false })
        expect((outcome.e as GenerationError).message).toMatch(/line 3 is not JSON/)
        expect((outcome.e as GenerationError).partialText).toBe(expectedText('p', 7, 2))
        expect(fake.count('generate')).toBe(1)
      },
    )

    it('error object mid-stream: model-error, partial carried, no retry', async () => {
      fake.fail('chat', { kind: 'error-mid', afterChunks: 1 })
      const { err } = await failing(engine())
      expect(err).toMatchObject({ kind: 'model-error', isRetryable: false })
      expect(err.message).toContain('unexpected EOF')
      expect(err.partialText.split(' ')).toHaveLength(1)
      expect(fake.count('chat')).toBe(1)
    })

    it('HTML instead of NDJSON: content-type, not retried', async () => {
      fake.fail('chat', { kind: 'html' })
      const { err } = await failing(engine())
      expect(err).toMatchObject({ kind: 'content-type', attempts: 1 })
      expect(fake.count('chat')).toBe(1)
    })

    it('newline-free giant line: too-large, fast', async () => {
      fake.fail('chat', { kind: 'giant-line', bytes: 64 * 1024 * 1024 })
      const { err, ms } = await failing(engine())
      expect(err.kind).toBe('too-large')
      expect(ms).toBeLessThan(2_000)
      expect(fake.count('chat')).toBe(1)
    })

    it('slow tokens within the idle deadline: succeeds, nothing lost', async () => {
      fake.fail('chat', { kind: 'slow', delayMs: DEADLINE_MS / 3 })
      const t0 = performance.now()
      const result = await engine({ deadlines: SHORT }).generate(request())
      expect(performance.now() - t0).toBeGreaterThan(DEADLINE_MS)
      expect(result.text.split(' ')).toHaveLength(6)
      expect(result.completionTokens).toBe(6)
    })

    it('abort mid-stream: aborted within ~1 s, partial carried, never retried', async () => {
      fake.fail('chat', { kind: 'slow', delayMs: 100 })
      const controller = new AbortController()
      const texts: string[] = []
      const run = failing(
        engine({ deadlines: { headersMs: 10_000, firstChunkMs: 10_000, idleMs: 10_000 } }),
        request({ signal: controller.signal, onChunk: (c) => texts.push(c.text) }),
      )
      await new Promise((r) => setTimeout(r, 250))
      const abortedAt = performance.now()
      controller.abort()
      const { err } = await run
      expect(performance.now() - abortedAt).toBeLessThan(1_000)
      expect(err).toMatchObject({ kind: 'aborted', isRetryable: false, attempts: 1 })
      expect(err.partialText).toBe(texts.join(''))
      expect(fake.count('chat')).toBe(1)
    })

    it('abort before headers arrive: aborted within ~1 s despite long deadlines', async () => {
      fake.fail('chat', { kind: 'stall-headers' })
      const controller = new AbortController()
      const run = failing(
        engine({ deadlines: { headersMs: 10_000, firstChunkMs: 10_000, idleMs: 10_000 } }),
        request({ signal: controller.signal }),
      )
      setTimeout(() => controller.abort(), 100)
      const { err, ms } = await run
      expect(err.kind).toBe('aborted')
      expect(ms).toBeLessThan(1_100)
    })
  })
}
