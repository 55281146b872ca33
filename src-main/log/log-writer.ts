// The append path: group commit of pending appends (one durable write per flush window) through a single
// append-mode handle, segment rollover, and background compression of closed segments.
import { unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { LogEvent, LogEventInput, SegmentInfo } from './log-types'
import { createSegment } from './recovery'
import { compressSegment, fsyncDir, openForAppend, writeAll, type AppendDurability } from './segment-files'
import { encodeLines, eventJson } from './segment-format'
import { addToIndex } from './segment-index'
import { prepareEvent } from './event-input'
import type { PreparedEvent } from './event-input'

interface Pending {
  events: PreparedEvent[]
  resolve: (events: LogEvent[]) => void
  reject: (error: Error) => void
}

export interface WriterConfig {
  dir: string
  logId: string
  segmentMaxBytes: number
  flushIntervalMs: number
  durability: AppendDurability
}

export class LogWriter {
  private pending: Pending[] = []
  private windowStart = 0
  private timer: NodeJS.Timeout | null = null
  /** Something pending must not wait out the flush window. */
  private isUrgent = false
  private immediate: NodeJS.Immediate | null = null
  private flushing: Promise<void> | null = null
  private failure: Error | null = null
  private closing: Promise<void> | null = null
  private compression: Promise<void> = Promise.resolve()

  constructor(
    private readonly config: WriterConfig,
    private readonly segments: SegmentInfo[],
    private handle: FileHandle,
  ) {}

  get isClosed(): boolean {
    return this.closing !== null
  }

  async append(inputs: LogEventInput[], isUrgent = false): Promise<LogEvent[]> {
    if (this.closing !== null) throw new Error('project log is closed; append refused')
    if (this.failure !== null) throw this.failure
    const events = inputs.map(prepareEvent)
    if (events.length === 0) return []
    return new Promise<LogEvent[]>((resolve, reject) => {
      if (this.pending.length === 0) this.windowStart = Date.now()
      this.pending.push({ events, resolve, reject })
      if (isUrgent) this.isUrgent = true
      this.schedule()
    })
  }

  /** Flushes what is pending now instead of at the end of its window (its writer has nothing more to add). */
  hurry(): void {
    if (this.pending.length === 0) return
    this.isUrgent = true
    this.schedule()
  }

  private schedule(): void {
    // While closing, close() drains the queue itself; a timer would race it onto a closed handle.
    if (this.closing !== null || this.flushing !== null || this.pending.length === 0) return
    if (this.isUrgent) {
      // Appends made in the same turn still share the write; nothing waits out the window.
      if (this.timer !== null) clearTimeout(this.timer)
      this.timer = null
      this.immediate ??= setImmediate(() => {
        this.immediate = null
        void this.flush()
      })
      return
    }
    if (this.timer !== null || this.immediate !== null) return
    const wait = Math.max(0, this.windowStart + this.config.flushIntervalMs - Date.now())
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, wait)
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = []
    this.isUrgent = false
    if (batch.length === 0) return
    this.flushing = this.writeBatch(batch)
    await this.flushing
    this.flushing = null
    this.schedule()
  }

  /** Never throws: every append in the batch is resolved after the fsync, or rejected. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    if (this.failure !== null) {
      for (const entry of batch) entry.reject(this.failure)
      return
    }
    let stage = 'rollover'
    let segment: SegmentInfo | undefined
    try {
      const current = await this.rollOverIfFull()
      segment = current
      let seq = current.lastSeq
      const jsons: string[] = []
      const results = batch.map((entry) =>
        entry.events.map((p) => {
          const event = { seq: ++seq, id: p.id, v: p.v, kind: p.kind, at: p.at }
          jsons.push(eventJson(event, p.dataJson))
          return { ...event, data: p.data }
        }),
      )
      const { bytes, lengths } = encodeLines(jsons)
      stage = 'write'
      await writeAll(this.handle, bytes) // durable on return when the handle writes synchronously
      if (!this.config.durability.isSynchronous) {
        stage = 'fsync'
        await this.config.durability.fsync(this.handle)
      }
      // Only now do readers and head() see the new events.
      lengths.forEach((length, i) => {
        addToIndex(current.index, current.lastSeq + 1 + i, current.size)
        current.size += length
      })
      current.lastSeq = seq
      batch.forEach((entry, i) => entry.resolve(results[i] ?? []))
    } catch (cause) {
      const error = new Error(
        `project log ${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      )
      for (const entry of batch) entry.reject(error)
      await this.undoPartialWrite(stage, segment, error)
    }
  }

  /** After a failed write, cut the partial bytes so later appends stay contiguous; else stop accepting. */
  private async undoPartialWrite(
    stage: string,
    segment: SegmentInfo | undefined,
    error: Error,
  ): Promise<void> {
    // After a failed fsync the kernel may have dropped dirty pages: the file's state is unknown until reopen.
    if (stage === 'fsync' || segment === undefined) {
      this.failure = new Error(`${error.message}; reopen the project log to recover`, { cause: error })
      return
    }
    try {
      await this.handle.truncate(segment.size)
      await this.config.durability.fsync(this.handle) // O_DSYNC covers writes, not a change of size
    } catch {
      this.failure = new Error(`${error.message}; reopen the project log to recover`, { cause: error })
    }
  }

  private async rollOverIfFull(): Promise<SegmentInfo> {
    const current = this.segments[this.segments.length - 1]
    if (current === undefined) throw new Error('project log has no open segment')
    if (current.size < this.config.segmentMaxBytes || current.lastSeq < current.firstSeq) return current
    const next = await createSegment(this.config.dir, this.config.logId, current.lastSeq + 1)
    const handle = await openForAppend(join(this.config.dir, next.base), this.config.durability)
    await this.handle.close()
    this.handle = handle
    current.state = 'plain'
    next.state = 'open'
    this.segments.push(next)
    this.queueCompression(current)
    return next
  }

  queueCompression(segment: SegmentInfo): void {
    this.compression = this.compression
      .then(async () => {
        await compressSegment(this.config.dir, segment.base)
        segment.state = 'gz'
        segment.index = []
        if (segment.readers === 0) await this.removePlain(segment)
        else segment.unlinkWhenFree = true
      })
      // The plain file stays and the next open() compresses it again; nothing is lost by giving up here.
      .catch(() => undefined)
  }

  /** Called by readers when they stop reading a plain file (Windows cannot unlink an open file). */
  release(segment: SegmentInfo): void {
    segment.readers--
    if (segment.readers > 0 || !segment.unlinkWhenFree) return
    segment.unlinkWhenFree = false
    this.compression = this.compression.then(() => this.removePlain(segment)).catch(() => undefined)
  }

  private async removePlain(segment: SegmentInfo): Promise<void> {
    await unlink(join(this.config.dir, segment.base))
    await fsyncDir(this.config.dir)
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer !== null) clearTimeout(this.timer)
      this.timer = null
      if (this.immediate !== null) clearImmediate(this.immediate)
      this.immediate = null
      while (this.flushing !== null || this.pending.length > 0) {
        if (this.flushing !== null) await this.flushing
        else await this.flush()
      }
      await this.compression
      await this.handle.close()
    })()
    return this.closing
  }
}
