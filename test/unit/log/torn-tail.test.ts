// Recovery of the open segment: a torn or corrupted tail is cut (and kept in damaged/), everything
// before it survives byte-for-byte, and appends continue at the right seq.
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import type { LogEvent } from '../../../src-main/log/project-log'
import { encodeEvent } from '../../../src-main/log/segment-format'
import { makeEvents, rawLines, rawLogProblems, segmentFiles, tempLogDir } from './log-test-helpers'

const N = 20

async function logWithEvents(): Promise<{ dir: string; file: string; events: LogEvent[] }> {
  const dir = tempLogDir()
  const log = await ProjectLog.open(dir)
  const events = await log.append(makeEvents(1, N))
  await log.close()
  return { dir, file: join(dir, segmentFiles(dir)[0] ?? ''), events }
}

/** Byte offset of line `n` (1 = header, seq s is line s + 1). */
function lineOffset(dir: string, n: number): number {
  return rawLines(dir, segmentFiles(dir)[0] ?? '')
    .slice(0, n - 1)
    .reduce((sum, line) => sum + line.length + 1, 0)
}

function flipByteInLine(file: string, offset: number): void {
  const bytes = readFileSync(file)
  // Inside the JSON body, past the checksum and the opening of the object.
  const at = offset + 20
  bytes[at] = (bytes[at] ?? 0) ^ 0x01
  writeFileSync(file, bytes)
}

/**
 * Opens the damaged log and checks: the events before the damage are back unchanged, the cut is
 * reported and saved in damaged/, the files are clean, and appends continue at keptCount + 1.
 */
async function expectRecovered(
  dir: string,
  events: LogEvent[],
  keptCount: number,
  reason: RegExp,
  cut: number,
) {
  // A recovery that did not truncate would leave exactly these problems behind.
  expect(rawLogProblems(dir)).not.toEqual([])
  const log = await ProjectLog.open(dir)
  expect(log.recovery).toMatchObject({ truncatedBytes: cut, damagedSegment: segmentFiles(dir)[0] })
  expect(log.recovery.reason).toMatch(reason)
  expect(log.head().lastSeq).toBe(keptCount)
  expect(await log.read(0)).toEqual(events.slice(0, keptCount))
  expect(log.recovery.movedAside).toHaveLength(1)
  expect(statSync(join(dir, log.recovery.movedAside[0] ?? '')).size).toBe(cut)
  expect(rawLogProblems(dir)).toEqual([])
  const next = await log.append(makeEvents(100, 2))
  expect(next.map((e) => e.seq)).toEqual([keptCount + 1, keptCount + 2])
  await log.close()
  const again = await ProjectLog.open(dir)
  expect(again.recovery.reason).toBeNull()
  expect(await again.read(0)).toEqual([...events.slice(0, keptCount), ...next])
  await again.close()
}

describe('torn tail recovery', () => {
  it('cuts appended garbage', async () => {
    const { dir, file, events } = await logWithEvents()
    const garbage = Buffer.from('garbage\x00\xff not a line\n', 'latin1')
    appendFileSync(file, garbage)
    await expectRecovered(dir, events, N, /line 22/, garbage.length)
  })

  it('cuts half a line (a torn write)', async () => {
    const { dir, file, events } = await logWithEvents()
    const line = encodeEvent({ seq: N + 1, id: 'x', v: 1, kind: 'k', at: 'now' }, '{"a":1}')
    appendFileSync(file, line.subarray(0, line.length >> 1))
    await expectRecovered(dir, events, N, /incomplete last line/, line.length >> 1)
  })

  it('cuts a flipped byte in the last line', async () => {
    const { dir, file, events } = await logWithEvents()
    const offset = lineOffset(dir, N + 1)
    flipByteInLine(file, offset)
    await expectRecovered(dir, events, N - 1, /line 21: checksum mismatch/, statSync(file).size - offset)
  })

  it('cuts from a flipped byte in a middle line onwards', async () => {
    const { dir, file, events } = await logWithEvents()
    const offset = lineOffset(dir, 11)
    flipByteInLine(file, offset)
    await expectRecovered(dir, events, 9, /line 11: checksum mismatch/, statSync(file).size - offset)
  })

  it('cuts a well-formed line whose seq is not contiguous', async () => {
    const { dir, file, events } = await logWithEvents()
    const line = encodeEvent({ seq: N + 2, id: 'x', v: 1, kind: 'k', at: 'now' }, '{}')
    appendFileSync(file, line)
    await expectRecovered(dir, events, N, /seq 22 where 21 was expected/, line.length)
  })

  it('(the checks above can fail) a log that appended after garbage without cutting it loses the append', async () => {
    // What a non-truncating implementation would leave: garbage, then the next acknowledged event.
    const { dir, file, events } = await logWithEvents()
    appendFileSync(file, Buffer.from('garbage\n'))
    const acknowledged = encodeEvent({ seq: N + 1, id: 'acked', v: 1, kind: 'k', at: 'now' }, '{}')
    appendFileSync(file, acknowledged)
    expect(rawLogProblems(dir)).toEqual([`${segmentFiles(dir)[0]}:22: checksum`])
    const log = await ProjectLog.open(dir)
    // expectRecovered's final check (appended events survive a reopen) fails for such a log: seq 21 is cut.
    expect(log.recovery.truncatedBytes).toBe(8 + acknowledged.length)
    expect((await log.read(0)).map((e) => e.id)).not.toContain('acked')
    expect(await log.read(0)).toEqual(events)
    await log.close()
  })

  it('rewrites the header of a segment torn while it was being created', async () => {
    const dir = tempLogDir()
    await (await ProjectLog.open(dir)).close()
    const file = join(dir, segmentFiles(dir)[0] ?? '')
    writeFileSync(file, readFileSync(file).subarray(0, 10))
    const log = await ProjectLog.open(dir)
    expect(log.recovery).toMatchObject({ truncatedBytes: 10, reason: 'incomplete last line' })
    expect((await log.append(makeEvents(1, 1)))[0]?.seq).toBe(1)
    await log.close()
    expect(rawLogProblems(dir)).toEqual([])
    expect(readdirSync(join(dir, 'damaged'))).toHaveLength(1)
  })
})
