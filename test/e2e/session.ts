// One app session for a describe block: a temporary folder, optionally the fake Ollama server, the real host
// (main's services over the loopback transport) and Chromium on it, started before the block's tests and
// stopped and removed after them. The e2e files that drive one app from start to end share this instead of
// each writing the same beforeAll and afterAll.
import { afterAll, beforeAll } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  assertPrerequisites,
  cleanup,
  freePort,
  openApp,
  startHost,
  tempDir,
  type Browser,
  type Host,
} from './harness'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'

export interface AppSession {
  /** The session's temporary folder (data/ and profile/ live in it). */
  readonly work: string
  readonly host: Host
  readonly app: Browser
  /** Only when the session was asked for it. */
  readonly ollama: FakeOllamaServer
}

export interface SessionOptions {
  /** Start the fake Ollama server too. */
  ollama?: boolean
  /** Runs in the new folder before the host starts (e.g. to write the corpus the tests import). */
  prepare?: (work: string) => Promise<void>
}

/** Registers the block's beforeAll/afterAll; read the fields inside tests (they exist once beforeAll ran). */
export function useAppSession(name: string, options: SessionOptions = {}): AppSession {
  let work: string | undefined
  let host: Host | undefined
  let app: Browser | undefined
  let ollama: FakeOllamaServer | undefined

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir(name)
    await options.prepare?.(work)
    if (options.ollama === true) ollama = await new FakeOllamaServer().start()
    host = await startHost(join(work, 'data'), await freePort())
    app = await openApp(join(work, 'profile'), host.url)
  })

  afterAll(async () => {
    await app?.close()
    await host?.stop()
    await ollama?.stop()
    if (work !== undefined) await cleanup(work)
  })

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`The e2e session's ${what} is not started (read it inside a test).`)
    return value
  }
  return {
    get work() {
      return started(work, 'folder')
    },
    get host() {
      return started(host, 'host')
    },
    get app() {
      return started(app, 'browser')
    },
    get ollama() {
      return started(ollama, 'fake Ollama server (ask for it with { ollama: true })')
    },
  }
}

/** Writes `count` JSONL records `{"id": "s<i>", "text": "Story <i>: <tail>"}` to `path`. */
export async function writeStories(path: string, count: number, tail = 'a fox.'): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `s${i}`, text: `Story ${i}: ${tail}` }),
  )
  await writeFile(path, lines.join('\n'))
}
