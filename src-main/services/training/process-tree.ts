// Ending a trainer's whole process tree. On POSIX the trainer leads its own process group (spawned
// detached), so one signal to the group reaches every descendant that did not leave it; on Windows
// taskkill walks the tree. With node:child_process imported by trainer-process.ts, the only two importers.
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

export const defaultGraceMs = 3_000
const pollMs = 100
const killWaitMs = 1_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Sends `signal` to the process group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

/**
 * Whether any process of the group is still running. A killed orphan stays a zombie until init reaps it,
 * and `kill(-pgid, 0)` still counts zombies, so on Linux /proc is read to leave them out: a zombie runs no
 * code and holds no files. Elsewhere the signal probe is the best answer there is.
 */
export async function groupIsAlive(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false
  if (process.platform !== 'linux') return true
  const entries = await readdir('/proc').catch(() => null)
  if (entries === null) return true
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null)
    if (stat === null) continue
    // Fields after the command name, which is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const state = fields[0]
    if (Number(fields[2]) === pgid && state !== 'Z' && state !== 'X') return true
  }
  return false
}

/**
 * POSIX: SIGTERM to the group, then SIGKILL to the group once `graceMs` has passed with any member still
 * running. The leader may exit at once while children that ignore SIGTERM keep the group alive, so the
 * group is watched, not the leader.
 */
export async function terminateGroup(
  pgid: number,
  graceMs = defaultGraceMs,
): Promise<'terminated' | 'killed'> {
  if (!signalGroup(pgid, 'SIGTERM')) return 'terminated'
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!(await groupIsAlive(pgid))) return 'terminated'
    await sleep(pollMs)
  }
  signalGroup(pgid, 'SIGKILL')
  // kill() returns before the targets have run to their death; a busy machine may take a moment to
  // schedule them. SIGKILL cannot be caught, so this wait is short, and bounded for a process stuck in
  // uninterruptible I/O.
  const killDeadline = Date.now() + killWaitMs
  while (Date.now() < killDeadline && (await groupIsAlive(pgid))) await sleep(pollMs / 5)
  return 'killed'
}

/** Windows: there is no SIGTERM for console programs, so the tree is ended at once (/T tree, /F force). */
export function taskkillTree(pid: number): Promise<void> {
  return new Promise((resolve) => {
    // A tree already gone makes taskkill exit non-zero; the caller waits for the exit event either way.
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => resolve())
  })
}
