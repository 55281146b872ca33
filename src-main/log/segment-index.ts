// In-memory lookups that let read() start near the wanted event instead of at the log's beginning:
// which segment holds a seq (segments are contiguous and sorted), and a sparse seq → offset index.
import type { SegmentInfo } from './log-types'

/** One index entry per this many bytes: a read from any seq scans at most ~64 KiB it does not need. */
export const INDEX_STRIDE = 64 * 1024

export function addToIndex(index: Array<[number, number]>, seq: number, offset: number): void {
  const last = index[index.length - 1]
  if (last === undefined || offset - last[1] >= INDEX_STRIDE) index.push([seq, offset])
}

/** [seq, byte offset] of the indexed line nearest before `seq`; [firstSeq, 0] means from the header. */
export function offsetFor(index: Array<[number, number]>, seq: number, firstSeq: number): [number, number] {
  let lo = 0
  let hi = index.length - 1
  let best: [number, number] = [firstSeq, 0]
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const entry = index[mid]
    if (entry === undefined) break
    if (entry[0] <= seq) {
      best = entry
      lo = mid + 1
    } else hi = mid - 1
  }
  return best
}

/** Index into `segments` of the one holding durable event `seq`, or -1. */
export function segmentFor(segments: SegmentInfo[], seq: number): number {
  let lo = 0
  let hi = segments.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const segment = segments[mid]
    if (segment === undefined) break
    if (seq < segment.firstSeq) hi = mid - 1
    else if (seq > segment.lastSeq) lo = mid + 1
    else return mid
  }
  return -1
}
