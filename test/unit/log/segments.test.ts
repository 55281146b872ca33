// Segment rollover and gzip compression of closed segments: reads across segments, damaged .gz files
// moved aside (never deleted), every crash-mid-compression state, and a lost manifest.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import type { LogEvent } from '../../../src-main/log/project-log'
import { makeEvents, rawLines, rawLogProblems, segmentFiles, tempLogDir } from './log-test-helpers'

const small = { segmentMaxBytes: 2048, flushIntervalMs: 0 }

async function segmentedLog(): Promise<{ dir: string; events: LogEvent[] }> {
  const dir = tempLogDir()
  const log = await ProjectLog.open(dir, small)
  const events: LogEvent[] = []
  for (let i = 0; i < 30; i++) events.push(...(await log.append(makeEvents(i * 10, 10))))
  await log.close()
  return { dir, events }
}

function closedSegments(dir: string): string[] {
  return segmentFiles(dir).filter((n) => n.endsWith('.gz'))
}

async function expectIntact(dir: string, events: LogEvent[]): Promise<ProjectLog> {
  const log = await ProjectLog.open(dir, small)
  expect(log.head().lastSeq).toBe(events.length)
  expect(await log.read(0)).toEqual(events)
  return log
}

describe('segments', () => {
  it('rolls over, compresses closed segments, and reads across them after reopen', async () => {
    const { dir, events } = await segmentedLog()
    const files = segmentFiles(dir)
    expect(files.length).toBeGreaterThan(5)
    expect(files.slice(0, -1).every((n) => n.endsWith('.jsonl.gz'))).toBe(true)
    expect(files.at(-1)).toMatch(/\.jsonl$/)
    expect(rawLogProblems(dir)).toEqual([])
    const log = await expectIntact(dir, events)
    expect(log.recovery).toEqual({ truncatedBytes: 0, damagedSegment: null, reason: null, movedAside: [] })
    expect(await log.read(150)).toEqual(events.slice(150))
    expect(await log.read(149, { maxEvents: 3 })).toEqual(events.slice(149, 152))
    const paged: LogEvent[] = []
    for (let page = await log.read(0, { maxEvents: 7 }); page.length > 0;) {
      paged.push(...page)
      page = await log.read(page.at(-1)?.seq ?? 0, { maxEvents: 7, maxBytes: 900 })
    }
    expect(paged).toEqual(events)
    expect(await log.sizeOnDisk()).toBeLessThan(events.length * 100)
    await log.close()
  })

  it('moves a damaged .gz and all later segments aside, keeping its verified prefix', async () => {
    const { dir, events } = await segmentedLog()
    const victim = closedSegments(dir)[2] ?? ''
    const later = segmentFiles(dir).slice(segmentFiles(dir).indexOf(victim))
    const firstSeqOfVictim = Number(/seg-(\d+)/.exec(victim)?.[1])
    const bytes = readFileSync(join(dir, victim))
    const damaged = bytes.subarray(0, bytes.length >> 1) // cut in half: decompresses part-way, then fails
    writeFileSync(join(dir, victim), damaged)

    const log = await ProjectLog.open(dir, small)
    expect(log.recovery.damagedSegment).toBe(victim)
    expect(log.recovery.reason).toMatch(/unreadable|incomplete|checksum/)
    expect(log.recovery.movedAside).toHaveLength(later.length)
    const aside = readdirSync(join(dir, 'damaged'))
    for (const name of later) expect(aside.some((a) => a.startsWith(`${name}.`))).toBe(true)
    const movedVictim = log.recovery.movedAside.find((p) => p.startsWith(`damaged/${victim}.`)) ?? ''
    expect(readFileSync(join(dir, movedVictim))).toEqual(damaged)
    const kept = log.head().lastSeq
    expect(kept).toBeGreaterThanOrEqual(firstSeqOfVictim) // the readable start of the victim was salvaged
    expect(kept).toBeLessThan(events.length)
    expect(await log.read(0)).toEqual(events.slice(0, kept))
    const next = await log.append(makeEvents(1000, 1))
    expect(next[0]?.seq).toBe(kept + 1)
    await log.close()
    expect(rawLogProblems(dir)).toEqual([])
    const again = await ProjectLog.open(dir, small)
    expect(again.recovery.movedAside).toEqual([])
    expect(await again.read(0)).toEqual([...events.slice(0, kept), ...next])
    await again.close()
  })

  it('moves aside a .gz that inflates but holds a line with a bad checksum', async () => {
    const { dir, events } = await segmentedLog()
    const victim = closedSegments(dir)[1] ?? ''
    const firstSeq = Number(/seg-(\d+)/.exec(victim)?.[1])
    const lines = rawLines(dir, victim)
    const bad = Buffer.from(lines[4] ?? '')
    bad[30] = (bad[30] ?? 0) ^ 0x01
    lines[4] = bad
    writeFileSync(
      join(dir, victim),
      gzipSync(Buffer.concat(lines.map((l) => Buffer.concat([l, Buffer.from('\n')])))),
    )
    const log = await ProjectLog.open(dir, small)
    expect(log.recovery).toMatchObject({ damagedSegment: victim, reason: 'line 5: checksum mismatch' })
    expect(log.head().lastSeq).toBe(firstSeq + 2) // header, then seqs firstSeq..firstSeq+2 were good
    expect(await log.read(0)).toEqual(events.slice(0, firstSeq + 2))
    await log.close()
  })

  it('finishes a compression that died after the rename (plain + .gz): no duplicates', async () => {
    const { dir, events } = await segmentedLog()
    const gz = closedSegments(dir)[1] ?? ''
    writeFileSync(join(dir, gz.replace(/\.gz$/, '')), gunzipSync(readFileSync(join(dir, gz))))
    const log = await expectIntact(dir, events)
    expect(log.recovery.movedAside).toEqual([])
    await log.close()
    expect(existsSync(join(dir, gz.replace(/\.gz$/, '')))).toBe(false)
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('redoes a compression that died before the rename (plain + partial .gz.tmp)', async () => {
    const { dir, events } = await segmentedLog()
    const gz = closedSegments(dir)[1] ?? ''
    const bytes = readFileSync(join(dir, gz))
    writeFileSync(join(dir, gz.replace(/\.gz$/, '')), gunzipSync(bytes))
    writeFileSync(join(dir, `${gz}.tmp`), bytes.subarray(0, 20))
    rmSync(join(dir, gz))
    const log = await expectIntact(dir, events)
    await log.close()
    expect(segmentFiles(dir)).toContain(gz)
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('keeps the plain copy and sets a bad .gz aside when both exist', async () => {
    const { dir, events } = await segmentedLog()
    const gz = closedSegments(dir)[1] ?? ''
    const bytes = readFileSync(join(dir, gz))
    writeFileSync(join(dir, gz.replace(/\.gz$/, '')), gunzipSync(bytes))
    writeFileSync(join(dir, gz), bytes.subarray(0, bytes.length - 9))
    const log = await expectIntact(dir, events)
    expect(log.recovery.movedAside).toEqual([expect.stringMatching(new RegExp(`^damaged/${gz}\\.`))])
    await log.close()
    expect(rawLines(dir, gz).length).toBeGreaterThan(1) // recompressed
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('compresses a closed segment left plain, and keeps a stray .gz.tmp without its plain file', async () => {
    const { dir, events } = await segmentedLog()
    const gz = closedSegments(dir)[0] ?? ''
    writeFileSync(join(dir, gz.replace(/\.gz$/, '')), gunzipSync(readFileSync(join(dir, gz))))
    rmSync(join(dir, gz))
    writeFileSync(join(dir, 'seg-0000000000099999.jsonl.gz.tmp'), 'partial')
    writeFileSync(join(dir, 'seg-0000000000099999.jsonl.tmp'), 'a new segment, torn') // died mid-rollover
    const log = await expectIntact(dir, events)
    expect(log.recovery.movedAside).toEqual([
      expect.stringMatching(/^damaged\/seg-0000000000099999\.jsonl\.gz\.tmp\./),
    ])
    await log.close()
    expect(segmentFiles(dir)).toContain(gz)
    expect(segmentFiles(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(rawLogProblems(dir)).toEqual([])
  })

  it('rebuilds a lost manifest from the segment headers and refuses a newer format', async () => {
    const { dir, events } = await segmentedLog()
    const { logId } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { logId: string }
    rmSync(join(dir, 'manifest.json'))
    const log = await expectIntact(dir, events)
    expect(log.head().logId).toBe(logId)
    await log.close()
    renameSync(join(dir, 'manifest.json'), join(dir, 'manifest.bak'))
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'winnow-log', version: 99, logId }))
    await expect(ProjectLog.open(dir)).rejects.toThrow(/newer/)
  })
})
