// The Ollama engine: the only module that imports ollama-js. Always streams, through the guarded fetch;
// retries with jittered backoff only before the first chunk, never after; one concurrency limit per host.
import { Ollama } from 'ollama'
import type { Options } from 'ollama'
import {
  GenerationError,
  type Engine,
  type GenerateRequest,
  type GenerateResult,
  type GenerationFailureKind,
  type ModelInfo,
} from '../engine'
import { fromNetworkError, fromStatus } from './failures'
import { httpFetch } from './http-fetch'
import { guardedFetch, type Deadlines, type GuardOptions } from './guarded-fetch'
import type { NdjsonChecker } from './ndjson-checker'
import { hostSemaphore, type Semaphore } from './semaphore'
import { modelfileSource } from './modelfile-source'
import { Accumulator } from './stream-accumulator'
import type { GenerateThread } from './generate-thread'
import type { ThreadEngineOptions } from './generate-thread-protocol'

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number
  baseMs: number
  maxMs: number
}

export interface OllamaEngineOptions {
  host: string
  fetchImpl?: typeof fetch
  deadlines?: Partial<Deadlines>
  maxConcurrent?: number
  retry?: Partial<RetryPolicy>
  maxLineBytes?: number
  maxTotalBytes?: number
  /**
   * Where generate calls run: on this thread when absent, else on the generation thread, whose engine is
   * built from these same options (without fetchImpl, which cannot cross; a test's fetch stays here).
   */
  generateThread?: GenerateThread | null
}

/** One line of /api/pull progress: the layer being fetched and its bytes, when the server says. */
export interface PullProgress {
  status: string
  digest: string | null
  completed: number | null
  total: number | null
}

export interface ModelShow {
  model: string
  digest: string | null
  family: string | null
  parameterSize: string | null
  quantization: string | null
  capabilities: string[]
  modifiedAt: string | null
  /** The file the Modelfile's FROM names by absolute path (the weights blob on the server's machine), else null. */
  modelFile: string | null
}

/**
 * The engine retries these itself. A timeout is not among them: it already cost a full deadline, so the
 * candidate is recorded as failed at once and "Retry failed" on the finished job tries it again.
 */
const ENGINE_RETRIES: ReadonlySet<GenerationFailureKind> = new Set([
  'refused',
  'server-error',
  'busy',
  'reset',
])
const IDENTITY_TTL_MS = 30_000

export class OllamaEngine implements Engine {
  readonly kind = 'ollama' as const
  readonly host: string
  private readonly fetchImpl: typeof fetch
  /** Under streamed generate calls: node:http (http-fetch.ts) unless a test hands in its own fetch. */
  private readonly streamFetch: typeof fetch
  private readonly retry: RetryPolicy
  private readonly limiter: Semaphore
  private readonly identity = new Map<string, { at: number; digest: string | null; version: string | null }>()
  private shared: Ollama | null = null
  private readonly threadOptions: ThreadEngineOptions | null

  constructor(private readonly options: OllamaEngineOptions) {
    this.host = options.host.replace(/\/+$/, '')
    this.fetchImpl = options.fetchImpl ?? fetch
    this.streamFetch = options.fetchImpl ?? httpFetch
    this.retry = { attempts: 3, baseMs: 250, maxMs: 5_000, ...options.retry }
    this.limiter = hostSemaphore(this.host, options.maxConcurrent ?? 4)
    const { generateThread, fetchImpl, ...plain } = options
    this.threadOptions = generateThread && !fetchImpl ? { ...plain, host: this.host } : null
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.threadOptions) return this.options.generateThread!.generate(this.threadOptions, request)
    const started = performance.now()
    for (let attempt = 1; ; attempt++) {
      let release: (() => void) | null = null
      try {
        release = await this.limiter.acquire(request.signal)
        const result = await this.attempt(request, started)
        release()
        release = null
        const id = await this.identify(request.model, request.signal)
        return { ...result, modelDigest: id.digest, engineVersion: id.version, host: this.host }
      } catch (e) {
        release?.()
        const err = asGenerationError(e, request.signal)
        const again = err.isRetryable && ENGINE_RETRIES.has(err.kind) && err.partialText === ''
        if (!again || attempt >= this.retry.attempts)
          throw new GenerationError(err.kind, err.message, err.isRetryable, err.partialText, attempt)
      }
      await sleep(this.backoff(attempt), request.signal)
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const list = await this.call(signal, (c) => c.list())
    return list.models.map((m) => ({
      name: m.name,
      digest: m.digest ?? null,
      sizeBytes: typeof m.size === 'number' ? m.size : null,
      family: m.details?.family ?? null,
      quantization: m.details?.quantization_level ?? null,
      parameterSize: m.details?.parameter_size ?? null,
      modifiedAt: m.modified_at ? String(m.modified_at) : null,
    }))
  }

  async embed(model: string, texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const res = await this.call(signal, (c) => c.embed({ model, input: texts }))
    const ok =
      Array.isArray(res.embeddings) &&
      res.embeddings.length === texts.length &&
      res.embeddings.every(
        (v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
      )
    if (!ok)
      throw new GenerationError(
        'malformed',
        `embed returned an unexpected shape for ${texts.length} texts`,
        false,
      )
    return res.embeddings
  }

  async version(signal?: AbortSignal): Promise<string> {
    const res = await this.call(signal, (c) => c.version())
    return res.version
  }

  /** /api/show has no digest; it comes from /api/tags, matched by name (":latest" implied). */
  async show(model: string, signal?: AbortSignal): Promise<ModelShow> {
    const [res, models] = await Promise.all([
      this.call(signal, (c) => c.show({ model })),
      this.listModels(signal),
    ])
    const entry = models.find((m) => sameModel(m.name, model))
    const caps: unknown = (res as { capabilities?: unknown }).capabilities
    return {
      model,
      digest: entry?.digest ?? null,
      family: res.details?.family ?? null,
      parameterSize: res.details?.parameter_size ?? null,
      quantization: res.details?.quantization_level ?? null,
      capabilities: Array.isArray(caps) ? caps.filter((c): c is string => typeof c === 'string') : [],
      modifiedAt: res.modified_at ? String(res.modified_at) : null,
      modelFile: modelfileSource(res.modelfile),
    }
  }

  /** Streams /api/pull; resolves once the server says success, rejects on any error line or fault. */
  async pull(name: string, signal: AbortSignal, onProgress: (progress: PullProgress) => void): Promise<void> {
    let isSuccess = false
    try {
      const stream = await this.client(signal, 'ndjson').pull({ model: name, stream: true })
      for await (const part of stream) {
        isSuccess ||= part.status === 'success'
        onProgress({
          status: typeof part.status === 'string' ? part.status : '',
          digest: typeof part.digest === 'string' && part.digest !== '' ? part.digest : null,
          completed: typeof part.completed === 'number' ? part.completed : null,
          total: typeof part.total === 'number' ? part.total : null,
        })
      }
    } catch (e) {
      throw asGenerationError(e, signal)
    }
    if (!isSuccess) throw new GenerationError('truncated', `pulling ${name} ended without success`, false)
  }

  /**
   * DELETE /api/delete. Ollama answers 200 with an empty body and no content type, which the JSON guard
   * would reject, so this one call goes straight to fetch with a deadline and the same status mapping.
   */
  async remove(name: string, signal?: AbortSignal): Promise<void> {
    const deadline = AbortSignal.timeout(this.options.deadlines?.headersMs ?? 30_000)
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline
    let response: Response
    try {
      response = await this.fetchImpl(`${this.host}/api/delete`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: name }),
        signal: combined,
      })
    } catch (e) {
      if (deadline.aborted && !signal?.aborted)
        throw new GenerationError('timeout', `no answer from ${this.host} to delete ${name}`, false)
      throw asGenerationError(e, signal)
    }
    const body = await response.text().catch(() => '')
    if (!response.ok) throw fromStatus(response.status, body.slice(0, 64 * 1024))
  }

  private client(
    signal: AbortSignal | undefined,
    expect: GuardOptions['expect'],
    onNdjson?: GuardOptions['onNdjson'],
    base: typeof fetch = this.fetchImpl,
  ): Ollama {
    const fetch = guardedFetch(base, {
      signal,
      expect,
      onNdjson,
      deadlines: this.options.deadlines,
      maxLineBytes: this.options.maxLineBytes,
      maxTotalBytes: this.options.maxTotalBytes,
    })
    // One guard per call, on a view of one shared client: ollama-js reads `this.fetch` per request, and a
    // new Ollama per candidate re-parsed the host URL every time (a measurable share of bench:generate).
    this.shared ??= new Ollama({ host: this.host })
    // Its own list of open streams too: ollama-js keeps a failed stream there, which must not pile up.
    return Object.create(this.shared, {
      fetch: { value: fetch },
      ongoingStreamedRequests: { value: [] },
    }) as Ollama
  }

  private async call<T>(signal: AbortSignal | undefined, fn: (c: Ollama) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client(signal, 'json'))
    } catch (e) {
      throw asGenerationError(e, signal)
    }
  }

  private async attempt(
    request: GenerateRequest,
    started: number,
  ): Promise<Omit<GenerateResult, 'modelDigest' | 'engineVersion' | 'host'>> {
    let checker: NdjsonChecker | null = null
    const client = this.client(request.signal, 'ndjson', (c) => (checker = c), this.streamFetch)
    const { sampling } = request
    const options: Partial<Options> = { temperature: sampling.temperature }
    if (sampling.topP !== null) options.top_p = sampling.topP
    if (sampling.topK !== null) options.top_k = sampling.topK
    if (sampling.seed !== null) options.seed = sampling.seed
    if (sampling.maxTokens !== null) options.num_predict = sampling.maxTokens
    if (sampling.stop.length > 0) options.stop = sampling.stop
    if (sampling.repeatPenalty !== undefined && sampling.repeatPenalty !== null)
      options.repeat_penalty = sampling.repeatPenalty
    // Never `images`: ollama-js in Node would read any existing file path named there.
    const common = {
      model: request.model,
      stream: true as const,
      options,
      ...(request.think ? { think: true } : {}),
      ...(request.logprobs ? { logprobs: true, top_logprobs: request.logprobs.topK } : {}),
    }
    const acc = new Accumulator(request, started)
    try {
      if (request.prompt.mode === 'chat') {
        const stream = await client.chat({ ...common, messages: request.prompt.messages })
        for await (const part of stream) acc.add(part.message?.content, part.message?.thinking, part)
      } else {
        const stream = await client.generate({ ...common, prompt: request.prompt.text, raw: true })
        for await (const part of stream) acc.add(part.response, part.thinking, part)
      }
    } catch (e) {
      throw unparsedLine(checker, acc) ?? streamError(e, request.signal, acc)
    }
    const unparsed = unparsedLine(checker, acc)
    if (unparsed) throw unparsed
    return acc.result()
  }

  private async identify(
    model: string,
    signal: AbortSignal,
  ): Promise<{ digest: string | null; version: string | null }> {
    const cached = this.identity.get(model)
    if (cached && performance.now() - cached.at < IDENTITY_TTL_MS) return cached
    // Provenance is best effort: a generated text is not thrown away because /api/tags hiccupped.
    const [digest, version] = await Promise.all([
      this.listModels(signal).then(
        (ms) => ms.find((m) => sameModel(m.name, model))?.digest ?? null,
        () => null,
      ),
      this.version(signal).catch(() => null),
    ])
    const id = { at: performance.now(), digest, version }
    this.identity.set(model, id)
    return id
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1))
    return ceiling / 2 + Math.random() * (ceiling / 2)
  }
}

/**
 * ollama-js yielded fewer parts than the checker passed lines: one did not parse and was dropped. The
 * candidate fails as malformed, with the text of the parts before that line only.
 */
function unparsedLine(checker: NdjsonChecker | null, acc: Accumulator): GenerationError | null {
  if (checker === null || acc.parts >= checker.lines) return null
  const bad = checker.firstUnparsable()
  const index = bad?.index ?? acc.parts
  const message = bad?.error.message ?? `line ${index + 1} of the stream did not parse`
  return new GenerationError('malformed', message, false, acc.textBefore(index))
}

function streamError(e: unknown, signal: AbortSignal, acc: Accumulator): GenerationError {
  // ollama-js throws a plain Error for an error object it reads mid-stream (the checker normally sees it first).
  const err =
    e instanceof Error && !(e instanceof GenerationError) && acc.started && !signal.aborted
      ? new GenerationError('model-error', `server error mid-stream: ${e.message.slice(0, 500)}`, false)
      : asGenerationError(e, signal)
  // Anything streamed means the request started: never retryable, whatever the guard thought.
  return new GenerationError(err.kind, err.message, err.isRetryable && !acc.started, acc.partial())
}

function sameModel(a: string, b: string): boolean {
  const norm = (s: string): string => (s.includes(':') ? s : `${s}:latest`)
  return norm(a) === norm(b)
}

function asGenerationError(e: unknown, signal: AbortSignal | undefined): GenerationError {
  if (e instanceof GenerationError) return e
  if (signal?.aborted) return new GenerationError('aborted', 'cancelled by the caller', false)
  // ollama-js's own stream checks; the guard normally fires first.
  if (e instanceof Error && /did not receive done/i.test(e.message))
    return new GenerationError('truncated', e.message, false)
  return fromNetworkError(e, false)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new GenerationError('aborted', 'cancelled by the caller', false))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}
