// Runs one trainer as a child process: no shell, its own process group, an allow-listed environment,
// bounded log capture, progress read from its output, and a cancel that ends the whole tree within 5 s.
// With process-tree.ts, the only importer of node:child_process in src-main (R11).
import { spawn } from 'node:child_process'
import { defaultLogCapacityBytes, LogRing, type LogSnapshot } from './log-capture'
import { LineDecoder } from './line-decoder'
import { ProgressReader, type TrainerProgress } from './progress-protocol'
import { defaultGraceMs, groupIsAlive, taskkillTree, terminateGroup } from './process-tree'

/**
 * Passed through from Winnow's environment. Everything else (tokens, NODE_OPTIONS, ELECTRON_RUN_AS_NODE)
 * stays out: a trainer is someone else's program.
 */
export const inheritedEnv = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'SystemRoot', 'WINDIR', 'PATHEXT', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA',
  'CUDA_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'HF_HOME', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE',
  'VIRTUAL_ENV', 'CONDA_PREFIX',
] as const // prettier-ignore

export type OutputStream = 'stdout' | 'stderr'

export interface TrainerOptions {
  file: string
  args: readonly string[]
  cwd?: string
  /** Set by Winnow for this run, on top of the inherited allow-list. */
  env?: Readonly<Record<string, string>>
  graceMs?: number
  logCapacityBytes?: number
  signal?: AbortSignal
  onProgress?(progress: TrainerProgress): void
  /** Each complete output line, for the live log. */
  onLine?(stream: OutputStream, line: string): void
}

export interface TrainerExit {
  code: number | null
  signal: NodeJS.Signals | null
  cancelled: boolean
  stdout: LogSnapshot
  stderr: LogSnapshot
}

export interface TrainerRun {
  readonly pid: number
  /** Settles once the trainer and every process left in its group have ended; rejects if it never started. */
  readonly exited: Promise<TrainerExit>
  cancel(): Promise<TrainerExit>
}

/** After the group is gone, pipes still held by a process that escaped it are not waited on longer. */
const streamDrainMs = 1_000

export function trainerEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of inheritedEnv) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  // Python buffers stdout when it is a pipe; progress would arrive in bursts minutes late.
  return { ...env, PYTHONUNBUFFERED: '1', ...extra }
}

export function startTrainer(options: TrainerOptions): TrainerRun {
  const graceMs = options.graceMs ?? defaultGraceMs
  const child = spawn(options.file, [...options.args], {
    shell: false,
    detached: true,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: trainerEnv(options.env),
  })
  const logs = {
    stdout: new LogRing(options.logCapacityBytes ?? defaultLogCapacityBytes),
    stderr: new LogRing(options.logCapacityBytes ?? defaultLogCapacityBytes),
  }
  const reader = new ProgressReader()
  const deliver = (stream: OutputStream, lines: string[]) => {
    for (const line of lines) {
      options.onLine?.(stream, line)
      const progress = reader.read(stream, line)
      if (progress) options.onProgress?.(progress)
    }
  }
  const drained = (['stdout', 'stderr'] as const).map((stream) => {
    const decoder = new LineDecoder()
    const source = child[stream]
    source.on('data', (chunk: Buffer) => {
      logs[stream].append(chunk)
      deliver(stream, decoder.push(chunk))
    })
    return new Promise<void>((resolve) => source.once('close', resolve)).then(() =>
      deliver(stream, decoder.end()),
    )
  })

  let cancelled = false
  let stopping: Promise<unknown> | null = null
  const stopTree = (pid: number): Promise<unknown> => {
    if (stopping) return stopping
    stopping = process.platform === 'win32' ? taskkillTree(pid) : terminateGroup(pid, graceMs)
    // Whoever awaits `stopping` (the exit handler) sees a failure; this only keeps it from going unhandled.
    stopping.catch(() => undefined)
    return stopping
  }

  const exited = new Promise<TrainerExit>((resolve, reject) => {
    child.on('error', (error) => {
      if (child.pid === undefined)
        reject(new Error(`Could not start the trainer ${options.file}: ${error.message}`))
    })
    child.once('exit', (code, signal) => {
      const pid = child.pid
      // A trainer that never started has no tree; the error handler has already answered.
      if (pid === undefined) return
      // Descendants may outlive the leader (dataloader workers, a grandchild ignoring SIGTERM): end them
      // too, then give the pipes a moment to deliver their last lines.
      const cleanup = async () => {
        if (process.platform !== 'win32' && (await groupIsAlive(pid))) await stopTree(pid)
        else if (stopping) await stopping
        await Promise.race([Promise.all(drained), new Promise((r) => setTimeout(r, streamDrainMs))])
        child.stdout.destroy()
        child.stderr.destroy()
      }
      options.signal?.removeEventListener('abort', onAbort)
      cleanup().then(
        () =>
          resolve({
            code,
            signal,
            cancelled,
            stdout: logs.stdout.snapshot(),
            stderr: logs.stderr.snapshot(),
          }),
        reject,
      )
    })
  })

  const cancel = async (): Promise<TrainerExit> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null && !cancelled) {
      cancelled = true
      void stopTree(child.pid).catch(() => undefined)
    }
    return exited
  }
  function onAbort() {
    // A trainer that never started rejects `exited`; its owner sees that there, not as an unhandled rejection.
    cancel().catch(() => undefined)
  }
  if (options.signal?.aborted) onAbort()
  else options.signal?.addEventListener('abort', onAbort, { once: true })
  return { pid: child.pid ?? -1, exited, cancel }
}
