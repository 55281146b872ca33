// Ending a trainer's whole process tree. On POSIX the trainer leads its own process group (spawned
// detached), so one signal to the group reaches every descendant in it; on Linux, descendants that left
// the group are found in /proc and signalled too. On Windows taskkill walks the tree.
import { execFile } from 'node:child_process'
import { readProcTable, type ProcEntry } from './proc-table'

export const defaultGraceMs = 3_000
const pollMs = 100
const killWaitMs = 1_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Sends `signal` to the process group `pgid` (a negative pid); false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  return signalPid(-pgid, signal)
}

function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

/**
 * A trainer's process group plus, on Linux, the descendants that left it. Each look refreshes both from
 * /proc; an escapee is remembered by pid and start time, so a reused pid is never signalled.
 */
export class ProcessTree {
  readonly #pgid: number
  readonly #escapees = new Map<number, number>()

  constructor(pgid: number) {
    this.#pgid = pgid
  }

  /** Whether any process of the tree is still running; zombies do not count (init reaps them, late here). */
  async isAlive(): Promise<boolean> {
    const table = await readProcTable()
    // Without /proc the group probe is the best answer there is; it counts zombies as alive.
    if (table === null) return signalGroup(this.#pgid, 0)
    this.#refreshEscapees(table)
    return table.some(
      (e) => !e.isZombie && (e.pgid === this.#pgid || this.#escapees.get(e.pid) === e.startTime),
    )
  }

  signal(signal: NodeJS.Signals): void {
    signalGroup(this.#pgid, signal)
    for (const pid of this.#escapees.keys()) {
      try {
        signalPid(pid, signal)
      } catch {
        // EPERM: an escapee that changed its user cannot be signalled by us; the rest of the tree still is.
      }
    }
  }

  #refreshEscapees(table: ProcEntry[]): void {
    const live = new Map(table.map((e) => [e.pid, e]))
    for (const [pid, startTime] of this.#escapees) {
      if (live.get(pid)?.startTime !== startTime || live.get(pid)?.isZombie) this.#escapees.delete(pid)
    }
    const children = new Map<number, ProcEntry[]>()
    for (const e of table) {
      const siblings = children.get(e.ppid)
      if (siblings) siblings.push(e)
      else children.set(e.ppid, [e])
    }
    const queue = table.filter((e) => e.pgid === this.#pgid || this.#escapees.has(e.pid))
    while (queue.length > 0) {
      for (const child of children.get(queue.pop()!.pid) ?? []) {
        if (child.pgid === this.#pgid || this.#escapees.has(child.pid)) continue
        this.#escapees.set(child.pid, child.startTime)
        queue.push(child)
      }
    }
  }
}

/** Whether any process of the group `pgid` is still running (zombies excluded on Linux). */
export const groupIsAlive = (pgid: number): Promise<boolean> => new ProcessTree(pgid).isAlive()

/**
 * POSIX: SIGTERM to the tree, then SIGKILL once `graceMs` has passed with any of it still running. The
 * leader may exit at once while children that ignore SIGTERM keep running, so the tree is watched, not the
 * leader. The tree is read before the first signal: once the leader dies, an escapee's parent link is gone.
 */
export async function terminateGroup(
  pgid: number,
  graceMs = defaultGraceMs,
): Promise<'terminated' | 'killed'> {
  const tree = new ProcessTree(pgid)
  if (!(await tree.isAlive())) return 'terminated'
  tree.signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    await sleep(pollMs)
    if (!(await tree.isAlive())) return 'terminated'
  }
  tree.signal('SIGKILL')
  // kill() returns before the targets have run to their death, and a busy machine may take a moment to
  // schedule them. SIGKILL cannot be caught, so this wait is short; bounded for uninterruptible I/O.
  const killDeadline = Date.now() + killWaitMs
  while (Date.now() < killDeadline && (await tree.isAlive())) await sleep(pollMs / 5)
  return 'killed'
}

/** Windows: there is no SIGTERM for console programs, so the tree is ended at once (/T tree, /F force). */
export function taskkillTree(pid: number): Promise<void> {
  return new Promise((resolve) => {
    // A tree already gone makes taskkill exit non-zero; the caller waits for the exit event either way.
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => resolve())
  })
}
