// The embedded llama.cpp engine: the only module that imports node-llama-cpp. Loads one GGUF file lazily,
// generates with llama.cpp's own samplers, and scores a given text exactly (the collapse monitor's perplexity).
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { getLlama, getModuleVersion, LlamaLogLevel } from 'node-llama-cpp'
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp'
import {
  GenerationError,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type ModelInfo,
  type ScoringEngine,
  type TextScore,
  type TokenLogprob,
} from '../engine'
import { toCompactLogprobs } from '@shared/domain/token-logprobs'

export interface LlamaCppEngineOptions {
  modelPath: string
  /** Two threads were slower than one on the 2-core machines this was measured on. */
  threads?: number
  /** Defaults to the model's training context, capped at 4096 to bound memory. */
  contextSize?: number
}

export interface LlamaCppModelInfo {
  path: string
  architecture: string | null
  parameterCount: number | null
  contextLength: number
  vocabularySize: number
  embeddingLength: number
  hasChatTemplate: boolean
  fileSizeBytes: number
  sha256: string
}

interface Loaded {
  llama: Llama
  model: LlamaModel
  context: LlamaContext
  info: LlamaCppModelInfo
  engineVersion: string
}

// The probabilities a probe reads must be the model's own, not a sampler-shaped distribution.
const NEUTRAL = { temperature: 1, topK: 0, topP: 1, minP: 0 } as const

export class LlamaCppEngine implements ScoringEngine {
  readonly kind = 'llamacpp' as const
  private loading: Promise<Loaded> | null = null
  /** One context sequence; calls take turns so a score never interleaves with a generation. */
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(private readonly options: LlamaCppEngineOptions) {}

  async modelInfo(signal?: AbortSignal): Promise<LlamaCppModelInfo> {
    return (await this.load(signal)).info
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const { info } = await this.load(signal)
    const modified = await stat(info.path)
    return [
      {
        name: basename(info.path),
        digest: `sha256:${info.sha256}`,
        sizeBytes: info.fileSizeBytes,
        family: info.architecture,
        quantization: null,
        parameterSize: info.parameterCount === null ? null : String(info.parameterCount),
        modifiedAt: modified.mtime.toISOString(),
      },
    ]
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = performance.now()
    const loaded = await this.load(request.signal)
    return this.exclusive(request.signal, (sequence) => this.run(loaded, sequence, request, started))
  }

  async embed(_model: string, texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const { model } = await this.load(signal)
    try {
      const ctx = await model.createEmbeddingContext({ threads: this.threads })
      try {
        const out: number[][] = []
        for (const text of texts) {
          throwIfAborted(signal, '')
          out.push([...(await ctx.getEmbeddingFor(text)).vector])
        }
        return out
      } finally {
        await ctx.dispose()
      }
    } catch (e) {
      if (e instanceof GenerationError) throw e
      throw new GenerationError('model-error', `this model cannot embed: ${message(e)}`, false)
    }
  }

  /** Exact log-likelihood of `text`: BOS, then log p(token_i | tokens_<i) from the full softmax. */
  async scoreText(text: string, signal?: AbortSignal): Promise<TextScore> {
    const loaded = await this.load(signal)
    const tokens = withBos(loaded.model, loaded.model.tokenize(text))
    const first = loaded.model.tokens.bos === null ? 1 : 0
    if (tokens.length - first < 1 || tokens.length < 2)
      throw new GenerationError('model-error', 'nothing to score: the text has no tokens', false)
    if (tokens.length > loaded.context.contextSize)
      throw new GenerationError(
        'too-large',
        `${tokens.length} tokens exceed the context of ${loaded.context.contextSize}`,
        false,
      )
    return this.exclusive(signal, async (sequence) => {
      const out = await sequence.controlledEvaluate(
        tokens.map((token, i) =>
          i === tokens.length - 1
            ? token
            : [
                token,
                {
                  generateNext: {
                    // includeMax is broken in 3.22.1; the top-1 logit is the max.
                    logits: { filter: { tokens: [tokens[i + 1]!], includeTop: 1 } },
                    totalLogitWeight: true,
                    options: NEUTRAL,
                  },
                },
              ],
        ),
      )
      throwIfAborted(signal, '')
      const scored: TextScore['tokens'] = []
      for (let i = 0; i < tokens.length - 1; i++) {
        const next = out[i]?.next
        const target = tokens[i + 1]!
        const logit = next?.logits?.get(target)
        const max = next?.logits?.values().next().value
        const weight = next?.totalLogitWeight
        if (logit === undefined || max === undefined || weight === undefined || !(weight > 0))
          throw new GenerationError('model-error', `no logits at position ${i}`, false)
        scored.push({
          token: loaded.model.detokenize([target], false, tokens.slice(Math.max(0, i - 8), i + 1)),
          logprob: logit - (max + Math.log(weight)),
        })
      }
      const mean = scored.reduce((s, t) => s + t.logprob, 0) / scored.length
      return { tokens: scored, perplexity: Math.exp(-mean) }
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const loading = this.loading
    this.loading = null
    if (!loading) return
    const loaded = await loading.catch(() => null)
    if (!loaded) return
    await this.queue.catch(() => undefined)
    await loaded.context.dispose()
    await loaded.model.dispose()
    await loaded.llama.dispose()
  }

  private get threads(): number {
    return this.options.threads ?? 1
  }

  private async run(
    loaded: Loaded,
    sequence: LlamaContextSequence,
    request: GenerateRequest,
    started: number,
  ): Promise<GenerateResult> {
    const { model, context } = loaded
    const { sampling, signal } = request
    const promptText =
      request.prompt.mode === 'raw' ? request.prompt.text : transcript(request.prompt.messages)
    const prompt = withBos(model, model.tokenize(promptText))
    const room = context.contextSize - prompt.length
    if (room < 1)
      throw new GenerationError(
        'too-large',
        `the prompt (${prompt.length} tokens) fills the context of ${context.contextSize}`,
        false,
      )
    const maxTokens = Math.min(sampling.maxTokens ?? room, room)
    const topK = request.logprobs?.topK ?? 0
    const stops = sampling.stop.filter((s) => s !== '')
    const holdBack = Math.max(0, ...stops.map((s) => s.length - 1))

    const generated: Token[] = []
    const logprobs: TokenLogprob[] = []
    let text = ''
    let emitted = 0
    let firstTokenMs: number | null = null
    let doneReason = 'stop'
    const emit = (upTo: number): void => {
      if (upTo > emitted) request.onChunk?.({ text: text.slice(emitted, upTo), thinking: '' })
      emitted = Math.max(emitted, upTo)
    }

    throwIfAborted(signal, '')
    const tokens = sequence.evaluateWithMetadata(
      prompt,
      { confidence: true, probabilities: topK > 0 },
      {
        temperature: sampling.temperature,
        topK: sampling.topK ?? undefined,
        topP: sampling.topP ?? undefined,
        seed: sampling.seed ?? undefined,
      },
    )
    try {
      for await (const out of tokens) {
        firstTokenMs ??= performance.now() - started
        const piece = model.detokenize([out.token], false, generated.slice(-8))
        generated.push(out.token)
        if (request.logprobs)
          logprobs.push({
            token: piece,
            logprob: Math.log(out.confidence),
            // Present only when alternatives were asked for (the metadata flag is not a literal here).
            top: topOf(model, (out as { probabilities?: Map<Token, number> }).probabilities, topK, generated),
          })
        const full = model.detokenize(generated)
        // A multi-byte character split across tokens decodes to U+FFFD until its last byte arrives.
        if (!full.endsWith('\uFFFD')) text = full
        const hit = firstStop(text, stops, Math.max(0, emitted - holdBack))
        if (hit !== null) {
          text = text.slice(0, hit)
          break
        }
        emit(text.length - holdBack)
        if (signal.aborted) break
        if (generated.length >= maxTokens) {
          doneReason = 'length'
          break
        }
      }
    } catch (e) {
      throwIfAborted(signal, text)
      throw new GenerationError('model-error', `generation failed: ${message(e)}`, false, text)
    }
    throwIfAborted(signal, text)
    emit(text.length)
    return {
      text,
      thinking: null,
      logprobs: request.logprobs ? toCompactLogprobs(logprobs) : null,
      promptTokens: prompt.length,
      completionTokens: generated.length,
      doneReason,
      timings: { firstTokenMs, totalMs: performance.now() - started },
      modelDigest: `sha256:${loaded.info.sha256}`,
      engineVersion: loaded.engineVersion,
      host: null,
    }
  }

  /** Runs `work` on a fresh sequence once the previous call has finished with its own. */
  private async exclusive<T>(
    signal: AbortSignal | undefined,
    work: (sequence: LlamaContextSequence) => Promise<T>,
  ): Promise<T> {
    const loaded = await this.load(signal)
    const turn = this.queue.then(async () => {
      throwIfAborted(signal, '')
      const sequence = loaded.context.getSequence()
      try {
        return await work(sequence)
      } finally {
        await sequence.dispose()
      }
    })
    this.queue = turn.catch(() => undefined)
    return turn
  }

  private load(signal?: AbortSignal): Promise<Loaded> {
    if (this.closed) return Promise.reject(new GenerationError('model-error', 'the engine is closed', false))
    throwIfAborted(signal, '')
    this.loading ??= this.open().catch((e: unknown) => {
      this.loading = null
      throw e
    })
    return this.loading
  }

  private async open(): Promise<Loaded> {
    const path = this.options.modelPath
    const file = await stat(path).catch(() => null)
    if (!file?.isFile()) throw new GenerationError('not-found', `no model file at ${path}`, false)
    const [sha256, llama] = await Promise.all([
      sha256Of(path),
      // Never build or download at run time: the prebuilt CPU binary from npm or nothing.
      getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false }).catch(
        (e: unknown) => {
          throw new GenerationError('model-error', `llama.cpp binary unavailable: ${message(e)}`, false)
        },
      ),
    ])
    try {
      const model = await llama.loadModel({ modelPath: path })
      const context = await model.createContext({
        contextSize: this.options.contextSize ?? Math.min(model.trainContextSize, 4096),
        threads: this.threads,
        sequences: 1,
      })
      const meta = model.fileInfo.metadata
      return {
        llama,
        model,
        context,
        engineVersion: `node-llama-cpp ${await getModuleVersion()}`,
        info: {
          path,
          architecture: meta.general.architecture ?? null,
          parameterCount: parameterCount(model),
          contextLength: model.trainContextSize,
          vocabularySize: meta.tokenizer.ggml.tokens.length,
          embeddingLength: model.embeddingVectorSize,
          hasChatTemplate: typeof meta.tokenizer.chat_template === 'string',
          fileSizeBytes: file.size,
          sha256,
        },
      }
    } catch (e) {
      await llama.dispose()
      throw new GenerationError('model-error', `cannot load ${path}: ${message(e)}`, false)
    }
  }
}

/**
 * Chat prompts as a plain transcript ("System: …\nUser: …\nAssistant:"). Used for every model for now:
 * the tiny test model has no chat template, and a templated model would need node-llama-cpp's chat
 * wrappers, which this engine does not use yet.
 */
export function transcript(messages: ChatMessage[]): string {
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const
  return messages.map((m) => `${label[m.role]}: ${m.content}\n`).join('') + 'Assistant:'
}

function withBos(model: LlamaModel, tokens: Token[]): Token[] {
  const bos = model.tokens.bos
  return bos !== null && model.tokens.shouldPrependBosToken && tokens[0] !== bos ? [bos, ...tokens] : tokens
}

function topOf(
  model: LlamaModel,
  probabilities: Map<Token, number> | undefined,
  k: number,
  context: Token[],
): TokenLogprob['top'] {
  const top: TokenLogprob['top'] = []
  if (!probabilities) return top
  const before = context.slice(-9, -1)
  for (const [token, p] of probabilities) {
    if (top.length >= k || !(p > 0)) break
    top.push({ token: model.detokenize([token], false, before), logprob: Math.log(p) })
  }
  return top
}

/** Earliest index of any stop string at or after `from`, or null. */
function firstStop(text: string, stops: string[], from: number): number | null {
  let best: number | null = null
  for (const s of stops) {
    const at = text.indexOf(s, from)
    if (at >= 0 && (best === null || at < best)) best = at
  }
  return best
}

function parameterCount(model: LlamaModel): number | null {
  const tensors = model.fileInfo.fullTensorInfo
  if (!tensors || tensors.length === 0) return null
  return tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((n, d) => n * Number(d), 1), 0)
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function throwIfAborted(signal: AbortSignal | undefined, partialText: string): void {
  if (signal?.aborted) throw new GenerationError('aborted', 'generation was cancelled', false, partialText)
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
