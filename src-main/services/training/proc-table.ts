// A snapshot of Linux's process table from /proc: enough to tell a zombie from a running process and to
// find descendants that left the trainer's process group (setsid, start_new_session=True).
import { readdir, readFile } from 'node:fs/promises'

export interface ProcEntry {
  pid: number
  ppid: number
  pgid: number
  /** Clock ticks since boot: with the pid, identifies one process even after its pid is reused. */
  startTime: number
  /** Dead and waiting to be reaped: it runs no code and holds no files, but kill(pid, 0) still finds it. */
  isZombie: boolean
}

/** Null where there is no /proc (macOS, Windows) or it cannot be read. */
export async function readProcTable(): Promise<ProcEntry[] | null> {
  if (process.platform !== 'linux') return null
  const names = await readdir('/proc').catch(() => null)
  if (names === null) return null
  const entries = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((name) => readEntry(Number(name))),
  )
  return entries.filter((entry) => entry !== null)
}

async function readEntry(pid: number): Promise<ProcEntry | null> {
  // A process may end between readdir and this read.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
  if (stat === null) return null
  // Fields after the command name, which is in parentheses and may itself hold spaces or parentheses;
  // index 0 is field 3 (state) of proc_pid_stat(5).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  return {
    pid,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: Number(fields[19]),
    isZombie: state === 'Z' || state === 'X',
  }
}
