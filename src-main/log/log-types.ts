// Public and internal types of the project log. Re-exported from project-log.ts, which is the module's
// entry point; kept apart so the segment helpers can share them without importing the class.
import type { FileHandle } from 'node:fs/promises'

export interface LogEventInput {
  kind: string
  v: number
  data: unknown
  /**
   * What is written for `data` when the log stores it in another form than it is held in (candidates'
   * logprobs: log-encoding.ts); the appended event still carries `data` itself.
   */
  stored?: unknown
  id?: string
  at?: string
}

export interface LogEvent {
  seq: number
  id: string
  v: number
  kind: string
  at: string
  data: unknown
}

export interface LogHead {
  logId: string
  lastSeq: number
  eventCount: number
}

export interface LogRecoveryReport {
  /** Bytes cut from the end of the open segment (they are first copied into damaged/). */
  truncatedBytes: number
  /** File name of the segment where damage was found, if any. */
  damagedSegment: string | null
  reason: string | null
  /** Paths, relative to the log folder, of everything open() put into damaged/. */
  movedAside: string[]
}

export interface ProjectLogOptions {
  /** A segment is closed and compressed once it reaches this size. Default 32 MiB. */
  segmentMaxBytes?: number
  /** Group-commit window: pending appends are written and fsync'd at most this long after arriving. Default 20, max 100. */
  flushIntervalMs?: number
  /**
   * @internal Test seam: performs the fsync of a segment file. Must resolve only once the data is durable.
   * With it segments are written and then fsync'd; without it each write is durable itself (O_DSYNC) where
   * the platform allows, else followed by an fsync (segment-files.ts, appendDurability).
   */
  fsync?: (handle: FileHandle) => Promise<void>
  /**
   * Hears each event open()'s verification pass finds good, in log order, so a caller can fold the log in the
   * same pass instead of reading it all again. Exactly the log's events only when `recovery` reports nothing
   * damaged or truncated; otherwise read it again. After a throw it hears nothing more (the log's repair is
   * not affected): a caller that catches its own throw knows not to trust what it folded.
   */
  onVerifiedEvent?: (event: LogEvent) => void
}

/** What the log knows about one segment; `lastSeq`/`size` only ever cover fsync'd bytes. */
export interface SegmentInfo {
  /** Plain file name, e.g. seg-0000000000000001.jsonl; the compressed copy adds `.gz`. */
  base: string
  firstSeq: number
  /** firstSeq - 1 while the segment holds no event yet. */
  lastSeq: number
  /** Uncompressed durable length in bytes. */
  size: number
  /** open: being appended to · plain: closed, compression pending · gz: closed and compressed. */
  state: 'open' | 'plain' | 'gz'
  /** Sparse [seq, byte offset of its line] pairs for plain files, ascending. */
  index: Array<[number, number]>
  /** Readers holding the plain file open; its removal after compression waits for them (Windows). */
  readers: number
  unlinkWhenFree: boolean
}
