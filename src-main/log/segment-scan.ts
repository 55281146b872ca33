// Verifies one segment line by line at open(): header, checksums, JSON, contiguous seqs. Reports how far
// it is good, so recovery can truncate (open segment) or move aside (closed segment) from exactly there.
import { join } from 'node:path'
import { gzipChunks, plainChunks, splitLines } from './line-reader'
import { addToIndex } from './segment-index'
import { checkHeader, decodeEvent } from './segment-format'
import type { LogEvent } from './log-types'

export interface ScanResult {
  /** Last good seq; firstSeq - 1 when no event is good. */
  lastSeq: number
  /** Uncompressed length of the header plus the good event lines. */
  goodBytes: number
  /** Sparse index over the good lines (meaningful for plain files). */
  index: Array<[number, number]>
  /** Why the scan stopped before the end, or null when the whole segment is good. */
  damage: string | null
}

export async function scanSegment(
  dir: string,
  file: string,
  logId: string,
  firstSeq: number,
  onEvent?: (event: LogEvent) => void,
): Promise<ScanResult> {
  const path = join(dir, file)
  const chunks = file.endsWith('.gz') ? gzipChunks(path) : plainChunks(path)
  const result: ScanResult = { lastSeq: firstSeq - 1, goodBytes: 0, index: [], damage: null }
  let sawHeader = false
  try {
    for await (const line of splitLines(chunks)) {
      if (!line.complete) {
        result.damage = 'incomplete last line'
        break
      }
      if (!sawHeader) {
        result.damage = checkHeader(line.bytes, logId, firstSeq)
        if (result.damage !== null) break
        sawHeader = true
      } else {
        const event = decodeEvent(line.bytes, result.lastSeq + 1)
        if (typeof event === 'string') {
          result.damage = `line ${result.lastSeq - firstSeq + 3}: ${event}`
          break
        }
        addToIndex(result.index, event.seq, line.offset)
        result.lastSeq = event.seq
        onEvent?.(event)
      }
      result.goodBytes = line.offset + line.bytes.length + 1
    }
  } catch (error) {
    // Breaking out of the loop closes the file; landing here means the bytes themselves could not be read.
    result.damage = `unreadable: ${error instanceof Error ? error.message : String(error)}`
  }
  if (!sawHeader && result.damage === null) result.damage = 'empty segment'
  return result
}
