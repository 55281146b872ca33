// Round trip of the project log: append, read, replay, head, reopen, input validation, read limits.
import { describe, expect, it } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import type { LogEvent } from '../../../src-main/log/project-log'
import { makeEvents, rawLogProblems, tempLogDir } from './log-test-helpers'

async function collect(events: AsyncIterable<LogEvent>): Promise<LogEvent[]> {
  const out: LogEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

describe('ProjectLog round trip', () => {
  it('assigns contiguous seqs and unique ids, and reads and replays exactly what was appended', async () => {
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir, { flushIntervalMs: 0 })
    expect(log.head()).toMatchObject({ lastSeq: 0, eventCount: 0 })
    expect(log.recovery).toEqual({ truncatedBytes: 0, damagedSegment: null, reason: null, movedAside: [] })
    const first = await log.append(makeEvents(1, 3))
    const second = await log.append([
      { kind: 'named', v: 2, data: 'x', id: 'my-id', at: '2020-01-01T00:00:00.000Z' },
    ])
    const appended = [...first, ...second]
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(new Set(appended.map((e) => e.id)).size).toBe(4)
    expect(second[0]).toEqual({
      seq: 4,
      id: 'my-id',
      v: 2,
      kind: 'named',
      at: '2020-01-01T00:00:00.000Z',
      data: 'x',
    })
    expect(first[0]?.data).toEqual(makeEvents(1, 1)[0]?.data)
    expect(Date.parse(first[0]?.at ?? '')).not.toBeNaN()
    expect(log.head()).toMatchObject({ lastSeq: 4, eventCount: 4 })
    expect(await log.read(0)).toEqual(appended)
    expect(await log.read(2)).toEqual(appended.slice(2))
    expect(await log.read(4)).toEqual([])
    expect(await collect(log.replay())).toEqual(appended)
    expect(await collect(log.replay(3))).toEqual(appended.slice(3))
    expect(await log.sizeOnDisk()).toBeGreaterThan(0)
    const head = log.head()
    await log.close()

    const reopened = await ProjectLog.open(dir)
    expect(reopened.head()).toEqual(head)
    expect(reopened.recovery.reason).toBeNull()
    expect(await reopened.read(0)).toEqual(appended)
    const more = await reopened.append(makeEvents(5, 1))
    expect(more[0]?.seq).toBe(5)
    await reopened.close()
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('writes data as it was at call time, rejects bad input per call, and refuses appends after close', async () => {
    const log = await ProjectLog.open(tempLogDir())
    const data = { n: 1 }
    const pending = log.append([{ kind: 'k', v: 1, data }])
    data.n = 2
    await expect(log.append([{ kind: '', v: 1, data: 1 }])).rejects.toThrow(/kind/)
    await expect(log.append([{ kind: 'k', v: 1.5, data: 1 }])).rejects.toThrow(/integer/)
    await expect(log.append([{ kind: 'k', v: 1, data: undefined }])).rejects.toThrow(/JSON/)
    await expect(log.append([{ kind: 'k', v: 1, data: 10n }])).rejects.toThrow()
    expect((await pending)[0]).toMatchObject({ seq: 1 })
    // On disk the call-time value; the returned event hands back the caller's own object.
    expect((await log.read(0))[0]).toMatchObject({ seq: 1, data: { n: 1 } })
    expect(await log.append([])).toEqual([])
    expect(log.head().lastSeq).toBe(1)
    await log.close()
    await expect(log.append(makeEvents(1, 1))).rejects.toThrow(/closed/)
    await expect(log.read(0)).rejects.toThrow(/closed/)
  })

  it('keeps hostile strings byte-exact', async () => {
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir)
    const text = 'a\nb\r\n\u0000\u2028\u{1F600}\u202Eמקור\ud800"\\'
    await log.append([{ kind: 'k', v: 1, data: { text, big: 'y'.repeat(300_000) } }])
    await log.close()
    const reopened = await ProjectLog.open(dir)
    expect((await reopened.read(0))[0]?.data).toEqual({ text, big: 'y'.repeat(300_000) })
    await reopened.close()
  })

  it('honours maxEvents and maxBytes but always returns at least one event', async () => {
    const log = await ProjectLog.open(tempLogDir())
    const all = await log.append(makeEvents(1, 20))
    expect(await log.read(0, { maxEvents: 5 })).toEqual(all.slice(0, 5))
    expect(await log.read(5, { maxEvents: 5 })).toEqual(all.slice(5, 10))
    expect(await log.read(0, { maxBytes: 1 })).toEqual(all.slice(0, 1))
    const three = await log.read(0, { maxBytes: 400 })
    expect(three.length).toBeGreaterThan(1)
    expect(three.length).toBeLessThan(20)
    expect(three).toEqual(all.slice(0, three.length))
    await log.close()
  })

  it('refuses a second open of the same folder and bad options', async () => {
    const dir = tempLogDir()
    const log = await ProjectLog.open(dir)
    await expect(ProjectLog.open(dir)).rejects.toThrow(/already open/)
    await expect(ProjectLog.open(tempLogDir(), { flushIntervalMs: 101 })).rejects.toThrow(RangeError)
    await log.close()
    await (await ProjectLog.open(dir)).close()
  })
})
