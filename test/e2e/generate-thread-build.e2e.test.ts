// The built app's generation thread: electron-vite emits out/main/generate-thread-entry.js beside the main
// bundle (generate-thread.ts loads it from there outside of tsx). Run as the app would, in a worker, it
// answers a generate request against the fake Ollama with the streamed text, the logprob blocks and the
// final counts; a request it cannot serve comes back as a failure, not a dead thread.
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { FromThread, ToThread } from '../../src-main/engines/ollama/generate-thread-protocol'
import { fromBlocks } from '@shared/domain/stored-logprobs'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'

let fake: FakeOllamaServer
let worker: Worker
beforeAll(async () => {
  fake = await new FakeOllamaServer().start()
  worker = new Worker(join(import.meta.dirname, '../../out/main/generate-thread-entry.js'))
})
afterAll(async () => {
  await worker.terminate()
  await fake.stop()
})

function call(message: ToThread): Promise<FromThread[]> {
  const seen: FromThread[] = []
  return new Promise((resolve) => {
    const listen = (reply: FromThread): void => {
      seen.push(reply)
      if (reply.type !== 'chunks' && reply.id === message.id) {
        worker.off('message', listen)
        resolve(seen)
      }
    }
    worker.on('message', listen)
    worker.postMessage(message)
  })
}

/** A generate message for a model of the fake server, 12 tokens with top-2 logprobs. */
const generate = (id: number, model: string, wantsChunks: boolean): ToThread => ({
  type: 'generate',
  id,
  engine: { host: fake.url },
  request: {
    model,
    prompt: { mode: 'chat', messages: [{ role: 'user', content: 'Tell me about cats.' }] },
    sampling: { temperature: 1, topP: null, topK: null, seed: 3, maxTokens: 12, stop: [] },
    logprobs: { topK: 2 },
    think: false,
  },
  wantsChunks,
})

it('the built thread generates, streams and hands over logprobs', async () => {
  const replies = await call(generate(1, 'tiny', true))
  const last = replies.at(-1)!
  if (last.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(last)}`)
  const streamed = replies.map((r) => (r.type === 'chunks' ? r.items.map((i) => i[1]).join('') : '')).join('')
  expect(streamed + (last.tail?.[0] ?? '')).toBe(last.result.text)
  expect(last.result.completionTokens).toBe(12)
  expect(fromBlocks(last.blocks!).tokens).toHaveLength(12)
  expect(last.result.modelDigest).toBe(fake.models[0]?.digest)
})

it('a model the server lacks comes back as a not-found failure', async () => {
  const replies = await call(generate(2, 'absent', false))
  expect(replies.at(-1)).toMatchObject({ type: 'failure', id: 2, failure: { kind: 'not-found' } })
})
