// Reads events back out of segments: plain files from the sparse index's nearest offset, .gz files as
// a stream. read() keeps one paused .gz stream as a cursor, so catch-up in pages does not re-inflate a
// closed segment from its start for every page.
import { join } from 'node:path'
import { gzipChunks, plainChunks, splitLines } from './line-reader'
import type { LogEvent, SegmentInfo } from './log-types'
import { decodeEvent, peekEvent } from './segment-format'
import { offsetFor, segmentFor } from './segment-index'

interface Item {
  event: LogEvent
  bytes: number
}

interface Source {
  iterator: AsyncGenerator<Item>
  peeked: Item | null
}

export class SegmentReader {
  private cursor: { base: string; next: number; source: Source } | null = null

  constructor(
    private readonly dir: string,
    private readonly release: (segment: SegmentInfo) => void,
  ) {}

  /**
   * Events of one segment with seq > afterSeq, up to what was durable when reading began; with `kinds`,
   * only those kinds (the others are checksummed and counted, not parsed).
   */
  async *events(segment: SegmentInfo, afterSeq: number, kinds?: ReadonlySet<string>): AsyncGenerator<Item> {
    const lastSeq = segment.lastSeq
    const isPlain = segment.state !== 'gz'
    let [expected, start] = [segment.firstSeq, 0]
    if (isPlain) {
      // Counted before the first await, so compression cannot remove the file under this reader.
      segment.readers++
      ;[expected, start] = offsetFor(segment.index, afterSeq + 1, segment.firstSeq)
    }
    const path = join(this.dir, segment.base)
    const chunks = isPlain ? plainChunks(path, start, segment.size) : gzipChunks(`${path}.gz`)
    try {
      for await (const line of splitLines(chunks, start)) {
        if (line.offset === 0) continue // the header, checked at open()
        if (expected > lastSeq) return
        if (kinds && line.complete) {
          const head = peekEvent(line.bytes)
          if (head && head.seq === expected && !kinds.has(head.kind)) {
            expected++
            continue
          }
        }
        const event = decodeEvent(line.bytes, expected)
        if (typeof event === 'string' || !line.complete) {
          const why = typeof event === 'string' ? event : 'incomplete line'
          throw new Error(
            `project log damaged in ${segment.base} at seq ${expected}: ${why}; reopen to recover`,
          )
        }
        expected++
        if (event.seq > afterSeq) yield { event, bytes: line.bytes.length + 1 }
      }
      if (expected <= lastSeq)
        throw new Error(`project log segment ${segment.base} ends before seq ${lastSeq}`)
    } finally {
      if (isPlain) this.release(segment)
    }
  }

  /** Events with seq > afterSeq across segments; at least one if any exists, whatever maxBytes says. */
  async read(
    segments: SegmentInfo[],
    afterSeq: number,
    maxEvents: number,
    maxBytes: number,
  ): Promise<LogEvent[]> {
    const out: LogEvent[] = []
    let bytes = 0
    let next = afterSeq + 1
    for (;;) {
      const segment = segments[segmentFor(segments, next)]
      if (segment === undefined) return out
      const before = next
      const source = (await this.takeCursor(segment.base, next)) ?? {
        iterator: this.events(segment, next - 1),
        peeked: null,
      }
      for (;;) {
        let item = source.peeked
        source.peeked = null
        if (item === null) {
          const result = await source.iterator.next()
          if (result.done === true) break
          item = result.value
        }
        if (out.length > 0 && (out.length >= maxEvents || bytes + item.bytes > maxBytes)) {
          source.peeked = item
          if (segment.state === 'gz') this.cursor = { base: segment.base, next: item.event.seq, source }
          else await source.iterator.return(undefined)
          return out
        }
        out.push(item.event)
        bytes += item.bytes
        next = item.event.seq + 1
      }
      // events() yields through the segment's lastSeq, so the next pass starts in the next segment.
      if (next === before)
        throw new Error(`project log segment ${segment.base} yielded no event at seq ${next}`)
    }
  }

  private async takeCursor(base: string, next: number): Promise<Source | null> {
    const cursor = this.cursor
    this.cursor = null
    if (cursor === null) return null
    if (cursor.base === base && cursor.next === next) return cursor.source
    await cursor.source.iterator.return(undefined)
    return null
  }

  async close(): Promise<void> {
    await this.takeCursor('', -1)
  }
}
