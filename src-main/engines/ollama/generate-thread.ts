// Main's side of the generation thread (generate-thread-entry.ts): one worker thread per process, started
// on the first generate call and shared by every Ollama host. Each call's signal and live-preview callback
// stay here; abort is a message. If the thread dies, its calls fail as retryable 'reset' (nothing had been
// recorded for them) and the next call starts a new one.
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { GenerationError, type GenerateRequest, type GenerateResult } from '../engine'
import type { FromThread, ThreadEngineOptions, ToThread } from './generate-thread-protocol'
import { fromBlocks } from '@shared/domain/stored-logprobs'

interface Call {
  resolve: (result: GenerateResult) => void
  reject: (error: GenerationError) => void
  onChunk: GenerateRequest['onChunk']
}

export class GenerateThread {
  #worker: Worker | null = null
  #calls = new Map<number, Call>()
  #nextId = 1
  #isClosed = false

  generate(engine: ThreadEngineOptions, request: GenerateRequest): Promise<GenerateResult> {
    const { signal, onChunk, ...plain } = request
    if (signal.aborted)
      return Promise.reject(new GenerationError('aborted', 'cancelled by the caller', false))
    if (this.#isClosed) return Promise.reject(new GenerationError('aborted', 'Winnow is closing', false))
    const worker = this.#start()
    const id = this.#nextId++
    return new Promise<GenerateResult>((resolve, reject) => {
      const onAbort = (): void => this.#post({ type: 'abort', id })
      signal.addEventListener('abort', onAbort, { once: true })
      const settle = (): void => {
        signal.removeEventListener('abort', onAbort)
        this.#calls.delete(id)
        // Only calls in flight keep the process alive; an idle thread does not.
        if (this.#calls.size === 0) this.#worker?.unref()
      }
      if (this.#calls.size === 0) worker.ref()
      this.#calls.set(id, {
        resolve: (result) => (settle(), resolve(result)),
        reject: (error) => (settle(), reject(error)),
        onChunk,
      })
      this.#post({ type: 'generate', id, engine, request: plain, wantsChunks: onChunk !== undefined })
    })
  }

  /**
   * Ends the thread now, as a crash would (its exit fails its calls as retryable 'reset'); the next call
   * starts a fresh one.
   */
  async restart(): Promise<void> {
    await this.#worker?.terminate()
  }

  async close(): Promise<void> {
    this.#isClosed = true
    const worker = this.#worker
    this.#worker = null
    this.#failAll('Winnow is closing')
    await worker?.terminate()
  }

  #post(message: ToThread): void {
    this.#worker?.postMessage(message)
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    const worker = startWorker()
    worker.on('message', (message: FromThread) => this.#receive(message))
    // A thread that fails or exits takes its calls with it; the next call starts a fresh one.
    const lost = (why: string): void => {
      if (this.#worker !== worker) return
      this.#worker = null
      this.#failAll(why)
    }
    worker.on('error', (error) => lost(`the generation thread failed: ${error.message}`))
    worker.on('exit', (code) => lost(`the generation thread stopped (exit code ${code})`))
    worker.unref()
    this.#worker = worker
    return worker
  }

  #receive(message: FromThread): void {
    if (message.type === 'chunks') {
      for (const [id, text, thinking] of message.items) this.#calls.get(id)?.onChunk?.({ text, thinking })
      return
    }
    const call = this.#calls.get(message.id)
    if (!call) return
    if (message.tail) call.onChunk?.({ text: message.tail[0], thinking: message.tail[1] })
    if (message.type === 'result')
      call.resolve({ ...message.result, logprobs: message.blocks ? fromBlocks(message.blocks) : null })
    else {
      const f = message.failure
      call.reject(new GenerationError(f.kind, f.message, f.isRetryable, f.partialText, f.attempts))
    }
  }

  #failAll(why: string): void {
    const calls = [...this.#calls.values()]
    this.#calls.clear()
    // Retryable: the thread, not the server, failed, and nothing of these calls was recorded.
    for (const call of calls) call.reject(new GenerationError('reset', why, true))
  }
}

/**
 * The built app runs generate-thread-entry.js beside the main bundle (electron.vite.config.ts names it
 * as an entry). From source (tests, the browser host, benchmarks under tsx) the entry is TypeScript,
 * which a worker cannot load by itself: a one-line bootstrap registers tsx in the thread first.
 */
function startWorker(): Worker {
  const isSource = import.meta.url.endsWith('.ts')
  if (!isSource) return new Worker(new URL('./generate-thread-entry.js', import.meta.url))
  const entry = new URL('./generate-thread-entry.ts', import.meta.url).href
  const tsx = tsxEsmApi()
  const bootstrap =
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true })
}

/** tsx's ESM register API, as its package's exports name it (require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>
  }
  return pathToFileURL(join(dirname(manifest), pkg.exports['./esm/api']!.import.default)).href
}
