// An in-memory project log behind the two channels and the one event the renderer's projection uses
// (log.head, log.read, log.appended), with the paging rules of the real contract.
import { randomUUID } from 'node:crypto'
import type { EventPayload } from '@shared/ipc/contract'
import { logEventVersions } from '@shared/domain/log-events'
import type { LogEvent, LogEventKind, LogEventPayload, LogHead } from '@shared/domain/log-events'
import type { OnEvent } from '../../src-renderer/lib/api'
import type { LogApi } from '../../src-renderer/state/projection-sync.svelte'
import { storedForm } from '../../src-main/log/log-encoding'

type AppendedListener = (payload: EventPayload<'log.appended'>) => void

export interface ReadCall {
  afterSeq: number
  returned: number
}

export class FakeProjectLog {
  readonly events: LogEvent[] = []
  readonly reads: ReadCall[] = []
  /** Delay before each log.read answers, to let tests overlap reads with applies and notifications. */
  readDelayMs = 0
  #listeners = new Set<AppendedListener>()

  constructor(
    readonly projectId: string = randomUUID(),
    readonly logId: string = randomUUID(),
  ) {}

  append<K extends LogEventKind>(kind: K, data: LogEventPayload<K>, v = logEventVersions[kind]): LogEvent {
    const event = {
      seq: this.events.length + 1,
      id: randomUUID(),
      v,
      kind,
      at: new Date().toISOString(),
      // As the real log writes it: the current version in its stored form (candidates' logprob blocks).
      data: (v === logEventVersions[kind] ? storedForm(kind, data) : undefined) ?? data,
    }
    this.events.push(event)
    return event
  }

  /** Another log's event, as it was written there (a copied log folder): stored as it is, with a new seq. */
  appendCopy(from: LogEvent): LogEvent {
    const event = { ...from, seq: this.events.length + 1 }
    this.events.push(event)
    return event
  }

  /** An event of a kind (or version) this app does not know, as a newer Winnow would write it. */
  appendUnknown(kind: string, v = 1): LogEvent {
    const event = {
      seq: this.events.length + 1,
      id: randomUUID(),
      v,
      kind,
      at: new Date().toISOString(),
      data: {},
    }
    this.events.push(event)
    return event
  }

  head(): LogHead {
    const lastSeq = this.events.length
    let sampleCount = 0
    for (const event of this.events) {
      if (event.kind === 'samples.imported')
        sampleCount += (event.data as LogEventPayload<'samples.imported'>).samples.length
    }
    return { logId: this.logId, lastSeq, eventCount: lastSeq, sampleCount }
  }

  page(afterSeq: number, maxEvents = 1000): LogEvent[] {
    return this.events.slice(afterSeq, afterSeq + maxEvents)
  }

  /** Tells listeners the log grew; `inline` events travel with the notice, as main does for urgent appends. */
  notifyAppended(inline?: LogEvent[]): void {
    const payload = { projectId: this.projectId, head: this.head(), ...(inline ? { events: inline } : {}) }
    for (const listener of this.#listeners) listener(payload)
  }

  get listenerCount(): number {
    return this.#listeners.size
  }

  readonly api: LogApi = {
    'log.head': async ({ projectId }) => {
      await this.#checkProject(projectId)
      return this.head()
    },
    'log.read': async ({ projectId, afterSeq, maxEvents = 1000, maxBytes = 8 * 1024 * 1024 }) => {
      await this.#checkProject(projectId)
      if (this.readDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.readDelayMs))
      const events: LogEvent[] = []
      let bytes = 0
      for (const event of this.events.slice(afterSeq, afterSeq + maxEvents)) {
        const size = JSON.stringify(event).length
        // Like main: at least one event per page, then stop before the byte budget is exceeded.
        if (events.length > 0 && bytes + size > maxBytes) break
        events.push(structuredClone(event))
        bytes += size
      }
      this.reads.push({ afterSeq, returned: events.length })
      return { events, head: this.head() }
    },
  }

  readonly onEvent: OnEvent = (name, listener) => {
    if (name !== 'log.appended') return () => undefined
    const typed = listener as AppendedListener
    this.#listeners.add(typed)
    return () => this.#listeners.delete(typed)
  }

  #checkProject(projectId: string): Promise<void> {
    return projectId === this.projectId
      ? Promise.resolve()
      : Promise.reject(new Error(`unknown project ${projectId}`))
  }
}
