// The project's append-only event log on disk, owned by main: the source of truth that the renderer's
// store is a projection of. Format: segment-format.ts · repair on open: recovery.ts · appends: log-writer.ts.
import { mkdir, readdir, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { FileHandle } from 'node:fs/promises'
import type {
  LogEvent,
  LogEventInput,
  LogHead,
  LogRecoveryReport,
  ProjectLogOptions,
  SegmentInfo,
} from './log-types'
import { LogWriter } from './log-writer'
import { loadOrCreateManifest } from './manifest'
import { createSegment, recoverSegments } from './recovery'
import {
  appendDurability,
  DAMAGED_DIR,
  fsyncDir,
  openForAppend,
  type AppendDurability,
} from './segment-files'
import { segmentFor } from './segment-index'
import { SegmentReader } from './segment-reader'

export type { LogEvent, LogEventInput, LogHead, LogRecoveryReport, ProjectLogOptions } from './log-types'

const DEFAULT_SEGMENT_MAX_BYTES = 32 * 1024 * 1024
const DEFAULT_FLUSH_INTERVAL_MS = 20

/** Two writers on one folder would interleave lines; this guards within the process (main is one). */
const openDirs = new Set<string>()

export class ProjectLog {
  private readonly writer: LogWriter
  private readonly reader: SegmentReader

  private constructor(
    private readonly dir: string,
    private readonly logId: string,
    private readonly segments: SegmentInfo[],
    handle: FileHandle,
    options: Required<Pick<ProjectLogOptions, 'segmentMaxBytes' | 'flushIntervalMs'>> & {
      durability: AppendDurability
    },
    readonly recovery: LogRecoveryReport,
  ) {
    this.writer = new LogWriter({ dir, logId, ...options }, segments, handle)
    this.reader = new SegmentReader(dir, (segment) => this.writer.release(segment))
  }

  static async open(dir: string, options: ProjectLogOptions = {}): Promise<ProjectLog> {
    const segmentMaxBytes = options.segmentMaxBytes ?? DEFAULT_SEGMENT_MAX_BYTES
    const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    if (!Number.isInteger(segmentMaxBytes) || segmentMaxBytes <= 0)
      throw new RangeError('segmentMaxBytes must be > 0')
    if (!(flushIntervalMs >= 0 && flushIntervalMs <= 100))
      throw new RangeError('flushIntervalMs must be 0..100')
    const root = resolve(dir)
    if (openDirs.has(root)) throw new Error(`project log ${root} is already open`)
    openDirs.add(root)
    try {
      const created = await mkdir(root, { recursive: true })
      if (created !== undefined) await fsyncDir(dirname(created))
      const manifest = await loadOrCreateManifest(root)
      const report: LogRecoveryReport = {
        truncatedBytes: 0,
        damagedSegment: null,
        reason: null,
        movedAside: [],
      }
      report.movedAside.push(...manifest.movedAside)
      // A caller's throw must never read as damaged bytes (the scan would move segments aside): it stops
      // hearing events instead, and knows from its own catch not to trust what it folded.
      const observer = options.onVerifiedEvent
      let isObserving = observer !== undefined
      const observe = (event: LogEvent): void => {
        if (!isObserving) return
        try {
          observer?.(event)
        } catch {
          isObserving = false
        }
      }
      const { segments } = await recoverSegments(root, manifest.logId, report, observe)
      let last = segments[segments.length - 1]
      if (last === undefined || last.state === 'gz') {
        last = await createSegment(root, manifest.logId, (last?.lastSeq ?? 0) + 1)
        segments.push(last)
      }
      last.state = 'open'
      const durability = appendDurability(options.fsync)
      const handle = await openForAppend(join(root, last.base), durability)
      const log = new ProjectLog(
        root,
        manifest.logId,
        segments,
        handle,
        { segmentMaxBytes, flushIntervalMs, durability },
        report,
      )
      // Closed segments left plain by a crash (or a failed compression) are compressed again now.
      for (const segment of segments) if (segment.state === 'plain') log.writer.queueCompression(segment)
      return log
    } catch (error) {
      openDirs.delete(root)
      throw error
    }
  }

  head(): LogHead {
    const lastSeq = this.segments[this.segments.length - 1]?.lastSeq ?? 0
    // seqs start at 1 and never skip, so the count is the last seq.
    return { logId: this.logId, lastSeq, eventCount: lastSeq }
  }

  /** Resolves once the events are written and fsync'd, never before; seqs follow call order. */
  /**
   * Resolves once the events are on disk. Appends within the flush window share one write and fsync;
   * `urgent` flushes now instead (a person is waiting on it), taking whatever else is pending along.
   */
  append(events: LogEventInput[], options: { urgent?: boolean } = {}): Promise<LogEvent[]> {
    return this.writer.append(events, options.urgent ?? false)
  }

  /** Pending appends are flushed now rather than at the end of the window: nothing more is coming. */
  hurry(): void {
    this.writer.hurry()
  }

  async read(afterSeq: number, limits: { maxEvents?: number; maxBytes?: number } = {}): Promise<LogEvent[]> {
    this.assertOpen()
    const maxEvents = limits.maxEvents ?? Infinity
    const maxBytes = limits.maxBytes ?? Infinity
    return this.reader.read(this.segments, Math.max(0, afterSeq), maxEvents, maxBytes)
  }

  /**
   * All events after `afterSeq` in order, one segment stream at a time (memory stays bounded); with
   * `kinds`, only events of those kinds, the others skipped without being parsed.
   */
  async *replay(afterSeq = 0, kinds?: ReadonlySet<string>): AsyncIterable<LogEvent> {
    let next = Math.max(0, afterSeq) + 1
    for (;;) {
      this.assertOpen()
      const segment = this.segments[segmentFor(this.segments, next)]
      if (segment === undefined) return
      const before = next
      // What the reader will cover: the segment as durable now (appends during the replay come later).
      const last = segment.lastSeq
      for await (const { event } of this.reader.events(segment, next - 1, kinds)) {
        yield event
        next = event.seq + 1
      }
      if (kinds) {
        // Skipped events leave no trace in `next`: go on after this segment's last event.
        if (last < before) return
        next = last + 1
      } else if (next === before)
        throw new Error(`project log segment ${segment.base} yielded no event at seq ${next}`)
    }
  }

  /** Bytes of the manifest and segments (not of damaged/, which the user may want to inspect or delete). */
  async sizeOnDisk(): Promise<number> {
    const names = (await readdir(this.dir)).filter((name) => name !== DAMAGED_DIR)
    const sizes = await Promise.all(
      names.map((name) =>
        stat(join(this.dir, name)).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    )
    return sizes.reduce((sum, size) => sum + size, 0)
  }

  async close(): Promise<void> {
    if (this.writer.isClosed) return this.writer.close()
    try {
      await this.writer.close()
      await this.reader.close()
    } finally {
      openDirs.delete(this.dir)
    }
  }

  private assertOpen(): void {
    if (this.writer.isClosed) throw new Error('project log is closed')
  }
}
