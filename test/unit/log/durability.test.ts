// Appends are acknowledged only once durable (after the fsync, or the O_DSYNC write outside tests), are
// group-committed, and keep call order under concurrency.
import { constants, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import { delay, makeEvent, makeEvents, rawLogProblems, segmentFiles, tempLogDir } from './log-test-helpers'

/**
 * Appends events while an fsync seam records how many bytes of the segment are known durable, and
 * returns every event that was acknowledged while its bytes were not yet inside that durable prefix.
 * `lazy` models an implementation that acknowledges before the fsync has finished.
 */
async function acknowledgedBeforeDurable(lazy: boolean): Promise<string[]> {
  const dir = tempLogDir()
  let durable = 0
  const fsync = async (handle: FileHandle): Promise<void> => {
    const { size } = await handle.stat()
    await delay(5)
    await handle.sync()
    if (lazy) setTimeout(() => (durable = size), 30)
    else durable = size
  }
  const log = await ProjectLog.open(dir, { fsync, flushIntervalMs: 2 })
  const violations: string[] = []
  const check = (ids: string[]): void => {
    const file = segmentFiles(dir).find((n) => n.endsWith('.jsonl')) ?? ''
    const prefix = readFileSync(join(dir, file)).subarray(0, durable).toString('utf8')
    for (const id of ids) if (!prefix.includes(id)) violations.push(id)
  }
  const appends = Array.from({ length: 30 }, async (_, i) => {
    await delay(i % 7)
    check((await log.append(makeEvents(i * 3, 3))).map((e) => e.id))
  })
  await Promise.all(appends)
  await log.close()
  return violations
}

describe('durability of appends', () => {
  it('acknowledges no append before its bytes are fsync’d', async () => {
    expect(await acknowledgedBeforeDurable(false)).toEqual([])
  })

  it('(the check above can fail) flags a log that acknowledges before fsync completes', async () => {
    expect((await acknowledgedBeforeDurable(true)).length).toBeGreaterThan(0)
  })

  it('keeps an append pending while its fsync is blocked', async () => {
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const fsync = async (handle: FileHandle): Promise<void> => {
      await gate
      await handle.sync()
    }
    const log = await ProjectLog.open(tempLogDir(), { fsync, flushIntervalMs: 0 })
    let resolved = false
    const pending = log.append(makeEvents(1, 1)).then((events) => {
      resolved = true
      return events
    })
    await delay(120)
    expect(resolved).toBe(false)
    expect(log.head().lastSeq).toBe(0)
    release()
    expect((await pending)[0]?.seq).toBe(1)
    expect(log.head().lastSeq).toBe(1)
    await log.close()
  })

  it('starts writing within flushIntervalMs of an append', async () => {
    const started: number[] = []
    const fsync = async (handle: FileHandle): Promise<void> => {
      started.push(performance.now())
      await handle.sync()
    }
    const log = await ProjectLog.open(tempLogDir(), { fsync, flushIntervalMs: 40 })
    const at = performance.now()
    await log.append(makeEvents(1, 1))
    expect((started[0] ?? Infinity) - at).toBeLessThan(40 + 60)
    await log.close()
  })

  it('writes an urgent append without waiting out the window, taking what waits along, in call order', async () => {
    let fsyncs = 0
    const fsync = async (handle: FileHandle): Promise<void> => {
      fsyncs++
      await handle.sync()
    }
    const log = await ProjectLog.open(tempLogDir(), { fsync, flushIntervalMs: 100 })
    // With setTimeout frozen the window never ends: only the urgent path can write these.
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      const waiting = log.append(makeEvents(1, 2))
      const urgent = log.append(makeEvents(3, 1), { urgent: true })
      const [first, second] = await Promise.all([waiting, urgent])
      expect(fsyncs).toBe(1)
      expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3])
    } finally {
      vi.useRealTimers()
    }
    await log.close()
  })

  it('serialises 50 concurrent appends in call order with one fsync for the window', async () => {
    let fsyncs = 0
    const fsync = async (handle: FileHandle): Promise<void> => {
      fsyncs++
      await handle.sync()
    }
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir, { fsync, flushIntervalMs: 20 })
    const sizes = Array.from({ length: 50 }, (_, i) => (i % 3) + 1)
    const results = await Promise.all(sizes.map((n, i) => log.append(makeEvents(i * 10, n, `call ${i}`))))
    let expected = 1
    results.forEach((events, i) => {
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: sizes[i] ?? 0 }, (_, k) => expected + k))
      expect(events[0]?.data).toMatchObject({ text: `event ${i * 10} call ${i}` })
      expected += sizes[i] ?? 0
    })
    expect(fsyncs).toBe(1)
    expect(await log.read(0)).toEqual(results.flat())
    await log.close()
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('refuses further appends after a failed fsync, and a reopen recovers a contiguous log', async () => {
    let calls = 0
    const fsync = async (handle: FileHandle): Promise<void> => {
      if (++calls === 2) throw new Error('EIO: simulated')
      await handle.sync()
    }
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir, { fsync, flushIntervalMs: 0 })
    const kept = await log.append(makeEvents(1, 2))
    await expect(log.append([makeEvent(3)])).rejects.toThrow(/fsync failed.*EIO/)
    await expect(log.append([makeEvent(4)])).rejects.toThrow(/reopen/)
    await log.close()
    const reopened = await ProjectLog.open(dir)
    // The failed batch may or may not have reached the disk: its outcome is unknown, not lost silently.
    const events = await reopened.read(0)
    expect(events.slice(0, 2)).toEqual(kept)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect((await reopened.append([makeEvent(5)]))[0]?.seq).toBe(events.length + 1)
    await reopened.close()
  })

  it('hurry() flushes a pending append now instead of at the end of its window', async () => {
    const log = await ProjectLog.open(tempLogDir(), { flushIntervalMs: 100 })
    try {
      // The window's timer is faked and never fires: only hurry() can flush this append.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
      let isDone = false
      const appended = log.append([makeEvent(1)]).then((events) => {
        isDone = true
        return events
      })
      for (let i = 0; i < 20; i++) await new Promise((next) => setImmediate(next))
      expect(isDone).toBe(false)
      log.hurry()
      vi.useRealTimers()
      expect(await appended).toHaveLength(1)
    } finally {
      vi.useRealTimers()
      await log.close()
    }
  })
})

/** The open-file flags of this process's descriptors on `path` (Linux: /proc/self/fdinfo). */
function openFlagsOf(path: string): number[] {
  const flags: number[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = ''
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      continue // closed meanwhile (the one readdir itself used)
    }
    if (target !== path) continue
    const line = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/^flags:\s+([0-7]+)$/m)
    if (line?.[1] !== undefined) flags.push(parseInt(line[1], 8))
  }
  return flags
}

// bench:review: a write and then an fsync were two hops of main's event loop on the path of every decision.
describe.runIf(process.platform === 'linux')('appends without the test seam', () => {
  it('go to every segment, rolled-over ones too, through O_DSYNC: the write itself is the flush', async () => {
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir, { segmentMaxBytes: 4096, flushIntervalMs: 0 })
    const openSegment = (): string =>
      join(
        dir,
        segmentFiles(dir)
          .filter((n) => n.endsWith('.jsonl'))
          .at(-1)!,
      )
    const first = openSegment()
    expect(openFlagsOf(first)).toHaveLength(1)
    for (const flags of openFlagsOf(first)) expect(flags & constants.O_DSYNC).toBe(constants.O_DSYNC)
    for (let i = 0; i < 40; i++) await log.append(makeEvents(i * 2, 2), { urgent: true })
    const rolled = openSegment()
    expect(rolled).not.toBe(first)
    expect(openFlagsOf(rolled)).toHaveLength(1)
    for (const flags of openFlagsOf(rolled)) expect(flags & constants.O_DSYNC).toBe(constants.O_DSYNC)
    expect((await log.read(0)).map((e) => e.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1))
    await log.close()
    expect(rawLogProblems(dir)).toEqual([])
  })
})
