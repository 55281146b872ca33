// The generation thread: Ollama generate calls run here, off the main thread. Streaming a candidate is
// per-token work (HTTP chunks, the NDJSON guard, ollama-js's parse, the logprob columns); on main it
// competed with the IPC, the project log and the review's decisions. Main sends a request and gets back
// the finished GenerateResult (or the failure), plus the streamed text a few times a second for the
// live preview. Engines here are this thread's own, one per host and options, with their own limiter.
import { parentPort } from 'node:worker_threads'
import { GenerationError } from '../engine'
import { OllamaEngine } from './ollama-engine'
import type { FromThread, ThreadEngineOptions, ToThread } from './generate-thread-protocol'
import { toBlocks } from '@shared/domain/stored-logprobs'

/** How often the streamed pieces go to main: the live preview itself publishes every 150 ms. */
const CHUNK_BATCH_MS = 100

const port = parentPort
if (!port) throw new Error('generate-thread-entry runs as a worker thread only')

/** What one call has streamed since its last batch. */
interface Streamed {
  id: number
  text: string
  thinking: string
  isQueued: boolean
  isOver: boolean
}

const engines = new Map<string, OllamaEngine>()
const running = new Map<number, AbortController>()
let queued: Streamed[] = []
let batchTimer: ReturnType<typeof setTimeout> | null = null

function engineFor(options: ThreadEngineOptions): OllamaEngine {
  const key = JSON.stringify(options)
  let engine = engines.get(key)
  if (!engine) engines.set(key, (engine = new OllamaEngine(options)))
  return engine
}

function send(message: FromThread, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer)
}

function sendBatch(): void {
  batchTimer = null
  const items: [number, string, string][] = []
  for (const streamed of queued) {
    streamed.isQueued = false
    if (streamed.isOver) continue
    items.push([streamed.id, streamed.text, streamed.thinking])
    streamed.text = ''
    streamed.thinking = ''
  }
  queued = []
  if (items.length > 0) send({ type: 'chunks', items })
}

function stream(streamed: Streamed, text: string, thinking: string): void {
  streamed.text += text
  streamed.thinking += thinking
  if (streamed.isQueued) return
  streamed.isQueued = true
  queued.push(streamed)
  batchTimer ??= setTimeout(sendBatch, CHUNK_BATCH_MS)
}

/** What streamed since the last batch, handed over with the call's end (and left out of the next batch). */
function tail(streamed: Streamed): [string, string] | null {
  streamed.isOver = true
  return streamed.text === '' && streamed.thinking === '' ? null : [streamed.text, streamed.thinking]
}

async function generate(message: Extract<ToThread, { type: 'generate' }>): Promise<void> {
  const controller = new AbortController()
  running.set(message.id, controller)
  const streamed: Streamed = { id: message.id, text: '', thinking: '', isQueued: false, isOver: false }
  try {
    const result = await engineFor(message.engine).generate({
      ...message.request,
      signal: controller.signal,
      ...(message.wantsChunks ? { onChunk: (piece) => stream(streamed, piece.text, piece.thinking) } : {}),
    })
    const blocks = result.logprobs ? toBlocks(result.logprobs) : null
    // The blocks' arrays are handed over, not copied (a clone of the column arrays cost ~25 µs each side).
    const transfer = blocks
      ? [blocks.lengths, blocks.counts, blocks.logprobs, blocks.topLogprobs].map(
          (a) => a.buffer as ArrayBuffer,
        )
      : []
    send(
      { type: 'result', id: message.id, result: { ...result, logprobs: null }, blocks, tail: tail(streamed) },
      transfer,
    )
  } catch (e) {
    const error =
      e instanceof GenerationError
        ? e
        : new GenerationError('model-error', e instanceof Error ? e.message : String(e), false)
    send({
      type: 'failure',
      id: message.id,
      failure: {
        kind: error.kind,
        message: error.message,
        isRetryable: error.isRetryable,
        partialText: error.partialText,
        attempts: error.attempts,
      },
      tail: tail(streamed),
    })
  } finally {
    running.delete(message.id)
  }
}

port.on('message', (message: ToThread) => {
  if (message.type === 'generate') void generate(message)
  else running.get(message.id)?.abort()
})
