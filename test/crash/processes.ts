// The two processes a crash run kills: the browser host (main's services) and Chromium. Like the e2e
// harness, but the host can serve another renderer build (the split-decision fault) and Chromium's own pid is
// found, since a persistent context does not expose its browser process.
import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type BrowserContext } from 'playwright-core'
import { appLaunchOptions, type Host } from '../e2e/harness'

const root = resolve(import.meta.dirname, '..', '..')
export const defaultRendererDir = join(root, 'out', 'renderer')

/** Starts `src-main/browser-host.ts` on `port` serving `rendererDir`, and waits for its ready line. */
export async function startHostWith(
  dataDir: string,
  port: number,
  rendererDir: string,
  extraEnv: Record<string, string>,
): Promise<Host> {
  const args = ['--import', 'tsx', join(root, 'src-main', 'browser-host.ts'), '--port', String(port)]
  args.push('--data-dir', dataDir, '--renderer-dir', rendererDir)
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...extraEnv },
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
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

export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    ...(await appLaunchOptions()),
    viewport: { width: 1280, height: 860 },
  })
}

/** Pids of every process whose command line names this profile; the browser process is the one without --type. */
export async function chromiumPids(profileDir: string): Promise<{ browser: number | null; all: number[] }> {
  const marker = `--user-data-dir=${profileDir}`
  let browser: number | null = null
  const all: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const cmdline = await readFile(join('/proc', name, 'cmdline'), 'utf8').catch(() => '')
    const args = cmdline.split('\0')
    if (!args.includes(marker)) continue
    all.push(Number(name))
    if (!args.some((arg) => arg.startsWith('--type='))) browser = Number(name)
  }
  return { browser, all }
}

/** SIGKILLs Chromium's browser process (which hosts IndexedDB), then any of its children still around. */
export async function killChromium(profileDir: string, context: BrowserContext): Promise<void> {
  const { browser } = await chromiumPids(profileDir)
  if (browser === null) throw new Error(`no Chromium browser process for ${profileDir}`)
  const closed = new Promise<void>((done) => context.once('close', () => done()))
  process.kill(browser, 'SIGKILL')
  await Promise.race([closed, new Promise((done) => setTimeout(done, 5_000))])
  for (let i = 0; i < 50; i++) {
    const { all } = await chromiumPids(profileDir)
    if (all.length === 0) return
    if (i === 20) for (const pid of all) tryKill(pid)
    await new Promise((done) => setTimeout(done, 100))
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
