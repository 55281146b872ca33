// End-to-end harness: starts the browser host (real services, built renderer, loopback transport) as its own
// process, and real headless Chromium with a persistent profile, so tests can close, kill and restart both.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { disabledChromiumFeatures, mergedFeatureList } from '../../src-main/chromium-features'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const root = resolve(import.meta.dirname, '..', '..')
const rendererDir = join(root, 'out', 'renderer')

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export function assertPrerequisites(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install it (apt-get install -y chromium).`)
  }
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('The renderer is not built: run `npm run build` (npm run test:e2e does it for you).')
  }
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => done(port))
    })
  })
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `winnow-${prefix}-`))
}

export interface Host {
  url: string
  origin: string
  process: ChildProcess
  stop(): Promise<void>
  kill(): Promise<void>
}

/** Starts `src-main/browser-host.ts` in a child process and waits for its ready line. */
export async function startHost(
  dataDir: string,
  port: number,
  extraEnv: Record<string, string> = {},
  /** Another page build to serve on the app's origin (a fault build, a benchmark's page). */
  served: string = rendererDir,
): Promise<Host> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src-main', 'browser-host.ts'),
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--renderer-dir',
      served,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...extraEnv } },
  )
  const lines = createInterface({ input: child.stdout })
  const ready = await new Promise<{ url: string; origin: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the browser host did not start within 60 s')), 60_000)
    child.once('exit', (code) => fail(new Error(`the browser host exited with ${code}`)))
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return
      clearTimeout(timer)
      done(JSON.parse(line) as { url: string; origin: string })
    })
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return {
    ...ready,
    process: child,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
    async kill() {
      child.kill('SIGKILL')
      await exited
    },
  }
}

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

export interface LaunchOptions {
  executablePath: string
  headless: true
  args: string[]
  ignoreDefaultArgs: string[]
}

/**
 * How to launch Chromium as the app runs it: the switches above and `extraArgs`, with the features the app
 * turns off (src-main/chromium-features.ts) added to Playwright's own --disable-features. Chromium honours
 * only the last such switch, so Playwright's is replaced by one that carries both lists.
 */
export async function appLaunchOptions(extraArgs: readonly string[] = []): Promise<LaunchOptions> {
  const playwrights = await playwrightDisableFeatures()
  const features = mergedFeatureList(
    playwrights?.slice('--disable-features='.length),
    disabledChromiumFeatures,
  )
  return {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...extraArgs, `--disable-features=${features}`],
    ignoreDefaultArgs: playwrights === undefined ? [] : [playwrights],
  }
}

let playwrightDefaults: Promise<string | undefined> | null = null

/** Playwright's default --disable-features switch, read once per process off a browser it launched. */
function playwrightDisableFeatures(): Promise<string | undefined> {
  playwrightDefaults ??= (async () => {
    // A browser server, not a browser: only the server tells the command line it started Chromium with.
    const server = await chromium.launchServer({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
    })
    try {
      return server.process().spawnargs.find((arg) => arg.startsWith('--disable-features='))
    } finally {
      await server.close()
    }
  })()
  return playwrightDefaults
}

/** Real Chromium with a persistent profile (the IndexedDB lives in it), opened on the app's URL. */
export async function openApp(
  profileDir: string,
  url: string,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    ...(await appLaunchOptions(extraArgs)),
    viewport: { width: 1280, height: 860 },
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(url)
  return { context, page, close: () => context.close() }
}

export async function cleanup(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}
