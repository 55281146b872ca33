// The trainer runner against trainer doubles (real child processes): arguments arrive byte-exact, the
// environment is an allow-list, a stubborn process tree is gone within 5 s of cancel, progress arrives in
// order; and a static check that nothing in src-main can reach a shell.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTrainer, type TrainerRun } from '../../src-main/services/training/trainer-process'
import type { TrainerProgress } from '../../src-main/services/training/progress-protocol'
import { escapeTemplateText, renderArgv } from '../../src-main/services/training/argv-template'

const doubles = resolve(import.meta.dirname, '../fixtures/trainer-doubles')
const repoRoot = resolve(import.meta.dirname, '../..')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const isPosix = process.platform !== 'win32'

let scratch = ''
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'winnow-trainer-'))
})
// Every pid a tree test started: a failing run must not leave stubborn processes on a shared machine. Only a
// process whose command line is still a double's is killed, never a later process that reused the pid.
const started = new Set<number>()
afterAll(async () => {
  for (const pid of started) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (/stubborn-tree|60_000/.test(cmdline)) process.kill(pid, 'SIGKILL')
  }
  await rm(scratch, { recursive: true, force: true })
})

/**
 * Whether `pid` is gone: kill(pid, 0) fails with ESRCH, or (Linux) the process is a zombie. A killed orphan
 * is reparented to init and stays a zombie until init reaps it, which some container inits do only every
 * second or two; a zombie runs no code and holds no resources.
 */
function isGone(pid: number, { zombieCounts }: { zombieCounts: boolean }): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true
    throw error
  }
  if (!zombieCounts || process.platform !== 'linux') return false
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!)
  } catch {
    return true
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (check()) return true
    await sleep(25)
  }
  return check()
}

function startStubborn(mode: 'stay' | 'leave' | 'escape'): { run: TrainerRun; pids: Promise<number[]> } {
  let announce: (pids: number[]) => void = () => undefined
  const pids = new Promise<number[]>((r) => (announce = r))
  const run = startTrainer({
    file: process.execPath,
    args: [join(doubles, 'stubborn-tree.mjs'), mode],
    onLine: (_stream, line) => {
      if (line.startsWith('{"pids"')) announce((JSON.parse(line) as { pids: number[] }).pids)
    },
  })
  return { run, pids }
}

describe('arguments and environment', () => {
  const hostile = [
    'two words',
    ' leading and trailing ',
    '',
    `it's`,
    'say "hi"',
    `mixed '"' quotes "'"`,
    'a & b | c ; d',
    '$(touch /tmp/pwned) ${HOME} $HOME',
    '`id`',
    '%PATH% %VAR% ^& ^|',
    '> out.txt < in.txt 2>&1',
    'line one\nline two\r\nline three',
    '\ttab',
    '*.jsonl ? [a-z] ~',
    '--flag=value with space',
    '-',
    '\\back\\slash\\"',
    'emoji 🧪🦙 👩🏽‍💻',
    'RTL עברית العربية \u202Ereversed',
    'combining e\u0301 n\u0303 a\u0308\u0301',
    'CJK 训练数据 日本語',
  ]

  it('delivers arguments byte-exact through a rendered template, with only allow-listed environment', async () => {
    const out = join(scratch, 'argv.json')
    process.env.WINNOW_TEST_SECRET = 'must not leak'
    const template = [
      process.execPath,
      join(doubles, 'argv-echo.mjs'),
      '--data={dataset}',
      ...hostile.map(escapeTemplateText),
    ]
    const { file, args } = renderArgv(template, { dataset: hostile[7]! })
    const exit = await startTrainer({ file, args, env: { ARGV_OUT: out } }).exited
    delete process.env.WINNOW_TEST_SECRET
    expect(exit).toMatchObject({ code: 0, signal: null, cancelled: false })

    const received = JSON.parse(await readFile(out, 'utf8')) as { argv: string[]; envNames: string[] }
    const expected = [`--data=${hostile[7]}`, ...hostile]
    expect(received.argv).toEqual(expected)
    expect(received.argv.map((a) => Buffer.from(a).toString('hex'))).toEqual(
      expected.map((a) => Buffer.from(a).toString('hex')),
    )
    expect(existsSync('/tmp/pwned')).toBe(false)
    expect(received.envNames).toContain('ARGV_OUT')
    expect(received.envNames).toContain('PYTHONUNBUFFERED')
    expect(received.envNames).not.toContain('WINNOW_TEST_SECRET')
  })

  it('rejects when the program does not exist', async () => {
    const run = startTrainer({ file: join(scratch, 'no-such-trainer'), args: [] })
    await expect(run.exited).rejects.toThrow(/Could not start the trainer .*no-such-trainer/)
  })
})

describe.runIf(isPosix)('cancel ends the whole tree', () => {
  // Shown able to fail: with the group signal replaced by a signal to the leader alone (process.kill(pgid,
  // …) instead of process.kill(-pgid, …) in process-tree.ts's signalGroup), the trainer dies at SIGKILL but
  // both grandchildren keep running and this test fails on the 5 s bound ("still running 5028 ms after
  // cancel" when tried). The `escape` case fails the same way if ProcessTree does not signal escapees.
  it.each([
    { mode: 'stay' as const, platforms: ['linux', 'darwin', 'freebsd'] },
    // Only Linux has a /proc to find a grandchild that left the process group.
    { mode: 'escape' as const, platforms: ['linux'] },
  ])(
    'kills a SIGTERM-ignoring trainer and its two SIGTERM-ignoring grandchildren within 5 s ($mode)',
    async ({ mode, platforms }) => {
      if (!platforms.includes(process.platform)) return
      const { run, pids } = startStubborn(mode)
      const grandchildren = await pids
      const all = [run.pid, ...grandchildren]
      all.forEach((pid) => started.add(pid))
      expect(all.every((pid) => !isGone(pid, { zombieCounts: true }))).toBe(true)

      const cancelledAt = Date.now()
      const cancelling = run.cancel()
      const allGone = await waitUntil(() => all.every((pid) => isGone(pid, { zombieCounts: true })), 5_000)
      const elapsed = Date.now() - cancelledAt
      expect(allGone, `still running ${elapsed} ms after cancel`).toBe(true)
      expect(elapsed).toBeLessThan(5_000)

      const exit = await cancelling
      expect(exit).toMatchObject({ cancelled: true, signal: 'SIGKILL' })
      expect(exit.stdout.text).toContain('trainer: ignoring SIGTERM')
      // Then strictly gone: once init has reaped them, kill(pid, 0) fails with ESRCH.
      expect(await waitUntil(() => all.every((pid) => isGone(pid, { zombieCounts: false })), 30_000)).toBe(
        true,
      )
    },
  )

  it('ends grandchildren a trainer leaves behind when it exits by itself', async () => {
    const { run, pids } = startStubborn('leave')
    const grandchildren = await pids
    grandchildren.forEach((pid) => started.add(pid))
    const exit = await run.exited
    expect(exit).toMatchObject({ code: 0, cancelled: false })
    expect(grandchildren.every((pid) => isGone(pid, { zombieCounts: true }))).toBe(true)
  })

  it('is cancelled by an abort signal', async () => {
    const controller = new AbortController()
    const run = startTrainer({
      file: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      signal: controller.signal,
    })
    await sleep(200)
    controller.abort()
    expect(await run.exited).toMatchObject({ cancelled: true, signal: 'SIGTERM' })
  })
})

describe('log capture', () => {
  it('keeps the last bytes of a loud trainer and counts what it dropped', async () => {
    const script = `for (let i = 0; i < 1024; i++) process.stdout.write('x'.repeat(1023) + '\\n'); process.stdout.write('END')`
    const exit = await startTrainer({
      file: process.execPath,
      args: ['-e', script],
      logCapacityBytes: 64 * 1024,
    }).exited
    expect(exit.stdout.totalBytes).toBe(1024 * 1024 + 3)
    expect(exit.stdout.droppedBytes).toBe(1024 * 1024 + 3 - 64 * 1024)
    expect(exit.stdout.text).toHaveLength(64 * 1024)
    expect(exit.stdout.text.endsWith('x\nEND')).toBe(true)
  })
})

describe('progress', () => {
  it('delivers protocol lines in order, across split writes, next to the plain log', async () => {
    const progress: TrainerProgress[] = []
    const lines: string[] = []
    const exit = await startTrainer({
      file: process.execPath,
      args: [join(doubles, 'progress-lines.mjs'), 'protocol', '40'],
      onProgress: (p) => progress.push(p),
      onLine: (_stream, line) => lines.push(line),
    }).exited
    expect(exit.code).toBe(0)
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(progress.every((p) => p.source === 'protocol' && p.total === 40 && p.lr === 1e-4)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ loss: 2, etaSeconds: 0 })
    expect(lines.filter((line) => line.startsWith('plain log line'))).toHaveLength(40)
    expect(exit.stdout.text).toContain('plain log line 40')
  })

  it('reads a llama-finetune progress bar redrawn with \\r on stderr', async () => {
    const progress: TrainerProgress[] = []
    await startTrainer({
      file: process.execPath,
      args: [join(doubles, 'progress-lines.mjs'), 'llama', '12'],
      onProgress: (p) => progress.push(p),
    }).exited
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 64))
    expect(progress.every((p) => p.source === 'llama-finetune' && p.total === 768)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ loss: 2, etaSeconds: 0 })
  })
})

// ---------------------------------------------------------------------------------------------------------
// Static check: no code path in src-main spawns a shell (R11).

const childProcessOwners = [
  'src-main/services/training/trainer-process.ts',
  'src-main/services/training/process-tree.ts',
]

/** The shell-reaching constructs found in one source file. */
function shellUses(source: string): string[] {
  const found: string[] = []
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  if (/\bshell\s*:(?!\s*false\b)/.test(code)) found.push('shell option other than false')
  // A bare exec( is child_process.exec; RegExp's exec is always a member call (/re/.exec, pattern.exec).
  if (/(?<![.\w$])exec\s*\(/.test(code)) found.push('exec(')
  if (/\bexecSync\s*\(/.test(code)) found.push('execSync(')
  if (/\bspawnSync\s*\([^;]*\bshell\b/.test(code)) found.push('spawnSync with shell')
  const imports = [...code.matchAll(/import\s+([^;]*?)\s+from\s+['"](?:node:)?child_process['"]/g)]
  for (const [, clause] of imports) {
    // Named imports only, so every use is visible to the checks above (cp.exec would hide behind a namespace).
    if (!/^(type\s+)?\{[^}]*\}$/.test(clause!.trim())) found.push(`child_process imported as ${clause}`)
    if (/\b(exec|execSync)\b/.test(clause!)) found.push('exec imported from child_process')
  }
  if (/require\s*\(\s*['"](?:node:)?child_process|import\s*\(\s*['"](?:node:)?child_process/.test(code)) {
    found.push('child_process loaded dynamically')
  }
  return found
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && /\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

describe('no shell in src-main', () => {
  it('finds each shell-reaching construct in known-bad code (so the check can fail)', () => {
    expect(shellUses(`spawn('x', [], { shell: true })`)).toEqual(['shell option other than false'])
    expect(shellUses(`spawn('x', [], { shell: process.env.SHELL })`)).toEqual([
      'shell option other than false',
    ])
    expect(shellUses(`import { exec } from 'node:child_process'\nexec('ls')`)).toEqual([
      'exec(',
      'exec imported from child_process',
    ])
    expect(shellUses(`import cp from 'child_process'\ncp.execSync('ls')`)).toEqual([
      'execSync(',
      'child_process imported as cp',
    ])
    expect(shellUses(`spawnSync('ls', [], {\n  shell: '/bin/sh' })`)).toContain('spawnSync with shell')
    expect(shellUses(`const cp = require('child_process')`)).toEqual(['child_process loaded dynamically'])
    expect(shellUses(`const m = /a/.exec(s); spawn('x', [], { shell: false }) // shell: true`)).toEqual([])
  })

  it('finds none in src-main, and only the runner imports child_process', async () => {
    const files = await sourceFiles(join(repoRoot, 'src-main'))
    expect(files.length).toBeGreaterThan(10)
    const offenders: string[] = []
    const importers: string[] = []
    for (const file of files) {
      const source = await readFile(file, 'utf8')
      const path = relative(repoRoot, file).split('\\').join('/')
      for (const use of shellUses(source)) offenders.push(`${path}: ${use}`)
      if (/['"](?:node:)?child_process['"]/.test(source)) importers.push(path)
    }
    expect(offenders).toEqual([])
    expect(importers.sort()).toEqual([...childProcessOwners].sort())
  })
})
