// open()'s repair pass: finishes or undoes interrupted compressions, verifies every segment, truncates a
// torn tail of the open segment, and moves damaged closed segments (and all after them) into damaged/.
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipChunks, plainChunks } from './line-reader'
import type { LogEvent, LogRecoveryReport, SegmentInfo } from './log-types'
import { fsyncDir, gzipMatchesPlain, moveAside, saveTail, writeAll, writeFileAtomic } from './segment-files'
import { encodeHeader, parseSegmentBase, segmentBase } from './segment-format'
import { scanSegment } from './segment-scan'

interface Candidate {
  base: string
  firstSeq: number
  file: string
}

/** Lists segments, settling the states a crash mid-compression can leave: plain + .gz.tmp, plain + .gz. */
async function settleCompression(dir: string, report: LogRecoveryReport): Promise<Candidate[]> {
  const names = new Set(await readdir(dir))
  const found = new Map<string, { plain: boolean; gz: boolean }>()
  for (const name of names) {
    if (/^seg-\d{16}\.jsonl(\.salvage)?\.tmp$/.test(name)) {
      // A new segment's header, or a salvage copy whose source is safe in damaged/: no data only here.
      await unlink(join(dir, name))
      continue
    }
    const base = name.replace(/\.gz(\.tmp)?$/, '')
    if (parseSegmentBase(base) === null) continue
    if (name.endsWith('.tmp')) {
      // An unfinished compression: the plain file is the whole truth; without it, keep the bytes aside.
      if (names.has(base)) await unlink(join(dir, name))
      else report.movedAside.push(await moveAside(dir, name))
      continue
    }
    const entry = found.get(base) ?? { plain: false, gz: false }
    if (name === base) entry.plain = true
    else entry.gz = true
    found.set(base, entry)
  }
  const candidates: Candidate[] = []
  for (const [base, { plain, gz }] of found) {
    let file = plain ? base : `${base}.gz`
    if (plain && gz) {
      // Died between rename and unlink (both whole: finish), or a bad .gz (keep the plain, set it aside).
      if (await gzipMatchesPlain(join(dir, base), join(dir, `${base}.gz`))) {
        await unlink(join(dir, base))
        await fsyncDir(dir)
        file = `${base}.gz`
      } else report.movedAside.push(await moveAside(dir, `${base}.gz`))
    }
    candidates.push({ base, firstSeq: parseSegmentBase(base) ?? 0, file })
  }
  return candidates.sort((a, b) => a.firstSeq - b.firstSeq)
}

/** Rewrites the verified prefix of a moved-aside segment as a fresh plain segment; false if it cannot. */
async function salvage(dir: string, aside: string, isGz: boolean, base: string, goodBytes: number) {
  const path = join(dir, aside)
  const tmp = join(dir, `${base}.salvage.tmp`)
  const handle = await open(tmp, 'w')
  let copied = 0
  try {
    for await (const chunk of isGz ? gzipChunks(path) : plainChunks(path, 0, goodBytes)) {
      const part = chunk.subarray(0, goodBytes - copied)
      await writeAll(handle, part)
      copied += part.length
      if (copied === goodBytes) break
    }
    await handle.sync()
  } catch {
    // The damage may end the stream early; whatever was copied is checked below.
  } finally {
    await handle.close()
  }
  if (copied !== goodBytes) {
    await unlink(tmp)
    return false
  }
  await rename(tmp, join(dir, base))
  await fsyncDir(dir)
  return true
}

export interface Recovered {
  segments: SegmentInfo[]
  report: LogRecoveryReport
}

export async function recoverSegments(
  dir: string,
  logId: string,
  report: LogRecoveryReport,
  onEvent?: (event: LogEvent) => void,
): Promise<Recovered> {
  const candidates = await settleCompression(dir, report)
  const segments: SegmentInfo[] = []
  let expected = 1
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]
    if (c === undefined) break
    const isGap = c.firstSeq !== expected
    const scan = isGap
      ? { lastSeq: expected - 1, goodBytes: 0, index: [], damage: `seq gap: segment starts at ${c.firstSeq}` }
      : await scanSegment(dir, c.file, logId, c.firstSeq, onEvent)
    const segment: SegmentInfo = {
      base: c.base,
      firstSeq: c.firstSeq,
      lastSeq: scan.lastSeq,
      size: scan.goodBytes,
      state: c.file === c.base ? 'plain' : 'gz',
      index: c.file === c.base ? scan.index : [],
      readers: 0,
      unlinkWhenFree: false,
    }
    if (scan.damage === null) {
      segments.push(segment)
      expected = scan.lastSeq + 1
      continue
    }
    report.damagedSegment = c.file
    report.reason = scan.damage
    if (!isGap && i === candidates.length - 1 && segment.state === 'plain') {
      // A torn tail of the open segment: keep a copy of the cut bytes, then cut them.
      const handle = await open(join(dir, c.file), 'r+')
      try {
        const { size } = await handle.stat()
        if (size > scan.goodBytes) report.movedAside.push(await saveTail(dir, c.file, scan.goodBytes))
        report.truncatedBytes = size - scan.goodBytes
        await handle.truncate(scan.goodBytes)
        if (scan.goodBytes === 0) await writeAll(handle, encodeHeader(logId, c.firstSeq))
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (scan.goodBytes === 0) segment.size = encodeHeader(logId, c.firstSeq).length
      segments.push(segment)
      break
    }
    // A damaged closed segment: seqs must stay contiguous, so it and everything after it go aside.
    const asides: string[] = []
    for (const later of candidates.slice(i)) asides.push(await moveAside(dir, later.file))
    report.movedAside.push(...asides)
    const first = asides[0]
    if (
      scan.lastSeq >= c.firstSeq &&
      first !== undefined &&
      (await salvage(dir, first, segment.state === 'gz', c.base, scan.goodBytes))
    ) {
      segments.push({
        ...segment,
        state: 'plain',
        index: (await scanSegment(dir, c.base, logId, c.firstSeq)).index,
      })
    }
    break
  }
  return { segments, report }
}

/** Creates the empty segment that starts at `firstSeq`, header included, atomically. */
export async function createSegment(dir: string, logId: string, firstSeq: number): Promise<SegmentInfo> {
  const base = segmentBase(firstSeq)
  const header = encodeHeader(logId, firstSeq)
  await writeFileAtomic(dir, base, header)
  return {
    base,
    firstSeq,
    lastSeq: firstSeq - 1,
    size: header.length,
    state: 'plain',
    index: [],
    readers: 0,
    unlinkWhenFree: false,
  }
}
