// replay() with a kinds filter: exactly the wanted events, in order, across compressed segments and while
// appends go on; skipped lines are still checksummed, so damage in one of them is reported, not passed over.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import type { LogEvent, LogEventInput } from '../../../src-main/log/project-log'
import { segmentFiles, tempLogDir } from './log-test-helpers'

const options = { segmentMaxBytes: 16 * 1024, flushIntervalMs: 0 }

function mixed(from: number, count: number): LogEventInput[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k
    return i % 3 === 0
      ? { kind: 'wanted', v: 1, data: { i } }
      : { kind: 'bulky', v: 1, data: { i, pad: 'y'.repeat(300) } }
  })
}

async function collect(events: AsyncIterable<LogEvent>): Promise<LogEvent[]> {
  const out: LogEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

describe('replay with a kinds filter', () => {
  it('yields only the wanted kinds, in order, across compressed segments', async () => {
    const dir = tempLogDir()
    const writer = await ProjectLog.open(dir, options)
    for (let i = 0; i < 3000; i += 300) await writer.append(mixed(i, 300))
    await writer.close()
    expect(segmentFiles(dir).filter((n) => n.endsWith('.gz')).length).toBeGreaterThan(5)
    const log = await ProjectLog.open(dir, options)
    const all = await collect(log.replay())
    const wanted = await collect(log.replay(0, new Set(['wanted'])))
    expect(wanted).toEqual(all.filter((e) => e.kind === 'wanted'))
    expect(wanted).toHaveLength(1000)
    expect(await collect(log.replay(1500, new Set(['wanted'])))).toEqual(
      all.filter((e) => e.kind === 'wanted' && e.seq > 1500),
    )
    expect(await collect(log.replay(0, new Set(['absent'])))).toEqual([])
    await log.close()
  })

  it('sees wanted events appended while replaying', async () => {
    const log = await ProjectLog.open(tempLogDir(), options)
    await log.append(mixed(0, 60))
    const seen: number[] = []
    for await (const event of log.replay(0, new Set(['wanted']))) {
      const i = (event.data as { i: number }).i
      seen.push(i)
      if (i === 30) await log.append(mixed(60, 60))
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, k) => k * 3))
    await log.close()
  })

  it('reports damage in a line it would have skipped', async () => {
    const dir = tempLogDir()
    const writer = await ProjectLog.open(dir, { flushIntervalMs: 0 })
    await writer.append(mixed(0, 30))
    await writer.close()
    const log = await ProjectLog.open(dir, { flushIntervalMs: 0 })
    // Flip one byte inside a bulky event's padding after open() has verified the file.
    const [segment] = segmentFiles(dir).filter((n) => n.endsWith('.jsonl'))
    const path = join(dir, segment!)
    const bytes = readFileSync(path)
    const at = bytes.indexOf('yyyy', bytes.indexOf('"i":4,'))
    bytes[at] = 0x7a
    writeFileSync(path, bytes)
    await expect(collect(log.replay(0, new Set(['wanted'])))).rejects.toThrow(/damaged.*seq 5/)
    await log.close()
  })
})
