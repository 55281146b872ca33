// Projects on disk: one folder each under <dataDir>/projects/<id>/ holding its log (the truth) and its
// import error files. Owns the open logs, folds each into a ProjectState, and announces every append.
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { ProjectLog, type LogEventInput } from '../../log/project-log'
import {
  logEventVersions,
  type LogEventKind,
  type LogEventPayload,
  type LogHead,
} from '@shared/domain/log-events'
import { readLogEvent, type LogEvent } from '@shared/domain/log-events'
import type { SampleRecord } from '@shared/domain/sample'
import { defaultProjectSettings, type ProjectSummary } from '@shared/domain/project'
import { AppFailure } from '@shared/ipc/result'
import type { EventHub } from '../../ipc/event-hub'
import { ProjectState } from './project-state'
import { RecentProjects } from './recent-projects'
import { storedForm } from '../../log/log-encoding'

const SAMPLE_KINDS: ReadonlySet<string> = new Set(['samples.imported'])

interface OpenProject {
  log: ProjectLog
  state: ProjectState
}

export type TypedInput<K extends LogEventKind = LogEventKind> = { kind: K; data: LogEventPayload<K> }

export class ProjectRegistry {
  readonly #root: string
  readonly #events: EventHub
  readonly #open = new Map<string, Promise<OpenProject>>()
  readonly #recent: RecentProjects
  /** Called once per project when its state is first loaded in this process (jobs use it to mark interruptions). */
  onLoaded: (projectId: string, state: ProjectState) => Promise<void> = async () => {}

  constructor(dataDir: string, events: EventHub) {
    this.#root = join(dataDir, 'projects')
    this.#events = events
    this.#recent = new RecentProjects(join(dataDir, 'recent-projects.json'))
  }

  folder(projectId: string): string {
    return join(this.#root, projectId)
  }

  async list(): Promise<ProjectSummary[]> {
    await mkdir(this.#root, { recursive: true })
    const ids = (await readdir(this.#root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && /^[0-9a-f-]{36}$/.test(entry.name))
      .map((entry) => entry.name)
    const summaries = await Promise.all(ids.map((id) => this.summary(id)))
    return summaries.sort((a, b) =>
      (b.lastOpenedAt ?? b.createdAt).localeCompare(a.lastOpenedAt ?? a.createdAt),
    )
  }

  async create(name: string): Promise<ProjectSummary> {
    const id = randomUUID()
    await mkdir(this.folder(id), { recursive: true })
    await this.append(id, [
      { kind: 'project.created', data: { name, settings: { ...defaultProjectSettings } } },
    ])
    await this.#recent.touch(id)
    this.#events.emit('projects.changed', {})
    return this.summary(id)
  }

  async rename(projectId: string, name: string): Promise<ProjectSummary> {
    await this.append(projectId, [{ kind: 'project.renamed', data: { name } }])
    this.#events.emit('projects.changed', {})
    return this.summary(projectId)
  }

  async markOpened(projectId: string): Promise<ProjectSummary> {
    await this.load(projectId)
    await this.#recent.touch(projectId)
    return this.summary(projectId)
  }

  async summary(projectId: string): Promise<ProjectSummary> {
    const { log, state } = await this.load(projectId)
    await this.#recent.load()
    return {
      id: projectId,
      name: state.name,
      createdAt: state.createdAt,
      lastOpenedAt: this.#recent.lastOpened(projectId),
      settings: state.settings,
      sampleCount: state.sampleCount,
      logId: log.head().logId,
      lastSeq: log.head().lastSeq,
    }
  }

  async head(projectId: string): Promise<LogHead> {
    const { log, state } = await this.load(projectId)
    return { ...log.head(), sampleCount: state.sampleCount }
  }

  async read(projectId: string, afterSeq: number, maxEvents: number, maxBytes: number): Promise<LogEvent[]> {
    const { log } = await this.load(projectId)
    return log.read(afterSeq, { maxEvents, maxBytes })
  }

  /** Events of the given kinds in log order, as stored (not parsed into this version's shapes). */
  async *replayKinds(projectId: string, kinds: ReadonlySet<string>): AsyncIterable<LogEvent> {
    const { log } = await this.load(projectId)
    yield* log.replay(0, kinds)
  }

  /** Samples as imported, read from the log (the store lives in the renderer); null ids: all of them. */
  async samples(projectId: string, ids: ReadonlySet<string> | null): Promise<SampleRecord[]> {
    const { log } = await this.load(projectId)
    const found: SampleRecord[] = []
    for await (const raw of log.replay(0, SAMPLE_KINDS)) {
      if (raw.kind !== 'samples.imported') continue
      const event = readLogEvent(raw)
      if (event?.kind !== 'samples.imported') continue
      for (const sample of event.data.samples) if (ids === null || ids.has(sample.id)) found.push(sample)
    }
    return found
  }

  async state(projectId: string): Promise<ProjectState> {
    return (await this.load(projectId)).state
  }

  async sizeOnDisk(projectId: string): Promise<number> {
    return (await this.load(projectId)).log.sizeOnDisk()
  }

  /** Appends (flushed to disk before this resolves), folds into the state, then tells the renderer. */
  async append(
    projectId: string,
    inputs: TypedInput[],
    /**
     * urgent: flush now, not at the end of the window. inline: small events a window is waiting on (a
     * review decision) travel with the log.appended notice, so its store need not read them back.
     */
    options: { urgent?: boolean; inline?: boolean } = {},
  ): Promise<LogEvent[]> {
    const { log, state } = await this.load(projectId)
    const stamped: LogEventInput[] = inputs.map((input) => ({
      ...input,
      v: logEventVersions[input.kind],
      stored: storedForm(input.kind, input.data),
    }))
    const events = await log.append(stamped, { urgent: options.urgent })
    for (const event of events) state.apply(event, true)
    const head = { ...log.head(), sampleCount: state.sampleCount }
    const inline = options.inline === true && events.length <= 64 ? { events } : {}
    this.#events.emit('log.appended', { projectId, head, ...inline })
    return events
  }

  /** The project's pending appends go to disk now (see ProjectLog.hurry); nothing to do if it is not open. */
  async hurry(projectId: string): Promise<void> {
    const opened = this.#open.get(projectId)
    if (opened) (await opened).log.hurry()
  }

  async delete(projectId: string): Promise<void> {
    const opened = this.#open.get(projectId)
    this.#open.delete(projectId)
    if (opened) await (await opened).log.close()
    await rm(this.folder(projectId), { recursive: true, force: true })
    await this.#recent.forget(projectId)
    this.#events.emit('projects.changed', {})
  }

  async close(): Promise<void> {
    const all = [...this.#open.values()]
    this.#open.clear()
    await Promise.all(all.map(async (opened) => (await opened).log.close()))
  }

  load(projectId: string): Promise<OpenProject> {
    let opened = this.#open.get(projectId)
    if (!opened) {
      opened = this.#openProject(projectId)
      this.#open.set(projectId, opened)
      opened.catch(() => this.#open.delete(projectId))
    }
    return opened
  }

  async #openProject(projectId: string): Promise<OpenProject> {
    const folder = this.folder(projectId)
    const isFolder = await stat(folder).then(
      (info) => info.isDirectory(),
      () => false,
    )
    if (!isFolder) throw new AppFailure('not-found', 'That project no longer exists.')
    // The state is folded in open()'s verification pass, which reads every event anyway: reading the log a
    // second time to fold it took a 200,000-sample project's first open from ~4 to ~10 s.
    let folded: ProjectState | null = new ProjectState()
    const log = await ProjectLog.open(join(folder, 'log'), {
      onVerifiedEvent: (event) => {
        try {
          folded?.apply(event)
        } catch {
          folded = null // the replay below meets the same event, and reports it as it always has
        }
      },
    })
    const { recovery } = log
    const isRepaired = recovery.damagedSegment !== null || recovery.truncatedBytes > 0
    if (isRepaired) console.warn(`project ${projectId}: log repaired at open`, recovery)
    const head = log.head()
    let state: ProjectState | null = folded
    // A repaired log is not exactly what the pass saw (a segment moved aside or salvaged): read it again.
    if (
      state === null ||
      isRepaired ||
      state.lastSeq !== head.lastSeq ||
      state.eventCount !== head.eventCount
    ) {
      state = new ProjectState()
      for await (const event of log.replay()) state.apply(event)
    }
    const opened = { log, state }
    this.#open.set(projectId, Promise.resolve(opened))
    await this.onLoaded(projectId, state)
    return opened
  }
}
