// The app's composition root on the renderer side: opens the store, owns every feature state, and wires the
// project lifecycle (open = projects.open, then sync the store from the log; close = stop observing).
// Components reach it through getApp(), set once by App.svelte.
import { createContext } from 'svelte'
import type { Reply } from '@shared/ipc/contract'
import type { JobSnapshot } from '@shared/jobs/job'
import { importCounts } from '@shared/domain/import-spec'
import { openDatabase, type OpenedStore } from '../db/database'
import { api } from '../lib/api'
import { formatCount } from '../ui/format'
import { BatchesState } from './batches.svelte'
import { BrowseState } from './browse.svelte'
import { DatasetsState } from './datasets.svelte'
import { GenerateState } from './generate.svelte'
import { ImportWizard } from './import-wizard.svelte'
import { JobsState } from './jobs.svelte'
import { ModelsState } from './models.svelte'
import { Notifications } from './notifications.svelte'
import { ProjectionSync } from './projection-sync.svelte'
import { ProjectsState } from './projects.svelte'
import { ReviewState } from './review.svelte'
import type { StoreChange } from './store-changes'

export type View =
  | 'projects'
  | 'browse'
  | 'import'
  | 'models'
  | 'generate'
  | 'review'
  | 'datasets'
  | 'training'
  | 'monitor'
  | 'team'
  | 'jobs'
export type AppInfo = Reply<'app.info'>

export class AppState {
  readonly notifications = new Notifications()
  readonly projects = new ProjectsState()
  readonly jobs = new JobsState((job) => this.#jobSettled(job))
  readonly batches = new BatchesState()
  readonly browse = new BrowseState()
  readonly importWizard = new ImportWizard(this.jobs)
  readonly models = new ModelsState()
  readonly generate = new GenerateState()
  readonly review = new ReviewState({
    // A decision counts as saved only once the store has applied the log up to it.
    waitForSeq: (seq) =>
      this.#sync?.waitForSeq(seq) ?? Promise.reject(new Error('The local database is not open.')),
    prepareDecision: (sampleId) => this.#sync?.prepareDecision(sampleId),
  })

  readonly datasets = new DatasetsState()

  #view = $state<View>('projects')
  #lineageFocus = $state<string | null>(null)
  #store = $state.raw<OpenedStore | null>(null)
  #storeError = $state<string | null>(null)
  #sync = $state.raw<ProjectionSync | null>(null)
  /** The store version the views last re-read at (see storeChanged). */
  #seenStoreVersion = 0
  #info = $state.raw<AppInfo | null>(null)
  #isShortcutsOpen = $state(false)

  get view(): View {
    return this.#view
  }

  /** Null until the store is open (or when it could not be opened: see storeError). */
  get sync(): ProjectionSync | null {
    return this.#sync
  }

  get store(): OpenedStore | null {
    return this.#store
  }

  get storeError(): string | null {
    return this.#storeError
  }

  get info(): AppInfo | null {
    return this.#info
  }

  get canPickFiles(): boolean {
    return this.#info?.canPickFiles ?? false
  }

  get isShortcutsOpen(): boolean {
    return this.#isShortcutsOpen
  }

  async start(): Promise<void> {
    void this.#loadInfo()
    try {
      const store = await openDatabase()
      this.#store = store
      this.#sync = new ProjectionSync(store.db, {
        isReadOnly: store.isReadOnly,
        storeExistedBefore: !store.storeCreatedFresh && store.dataLoss === null,
      })
    } catch (error) {
      this.#storeError = error instanceof Error ? error.message : String(error)
    }
    await this.projects.start()
  }

  /** The store cannot be opened even after retries: have main move it aside (never delete it) and restart. */
  async moveStoreAside(): Promise<void> {
    try {
      await api['store.moveAside']({ reason: this.#storeError ?? 'the local database could not be opened' })
    } catch (error) {
      this.notifications.failure('Could not move the database aside', error)
    }
  }

  /** The generation the lineage was opened on (from a candidate's provenance), until another view is chosen. */
  get lineageFocus(): string | null {
    return this.#lineageFocus
  }

  /** Opens the Fine-tune screen's lineage on one generation: its run and the dataset it was trained on. */
  showGeneration(generationId: string): void {
    this.go('training')
    this.#lineageFocus = generationId
  }

  /** Views other than the start screen need an open project; without one they fall back to it. */
  go(view: View): void {
    this.#lineageFocus = null
    this.#view = view !== 'projects' && this.projects.current === null ? 'projects' : view
  }

  toggleShortcuts(isOpen = !this.#isShortcutsOpen): void {
    this.#isShortcutsOpen = isOpen
  }

  /** `isNew`: the project was just restored from a backup, so the store holding nothing of it is expected. */
  async openProject(projectId: string, options: { isNew?: boolean } = {}): Promise<void> {
    const store = this.#store
    const sync = this.#sync
    if (store === null || sync === null) {
      this.notifications.error(this.#storeError ?? 'Winnow is still opening its local database. Try again.')
      return
    }
    if (options.isNew === true) sync.expectFirstOpen(projectId)
    if (this.projects.current?.id !== projectId) this.closeProject()
    try {
      await this.projects.open(projectId)
    } catch (error) {
      this.notifications.failure('Could not open the project', error)
      return
    }
    this.#view = 'browse'
    this.batches.open(store.db, projectId)
    this.browse.open(store.db, projectId)
    this.generate.open(store.db, projectId)
    this.review.open(store.db, projectId)
    this.datasets.open(store.db, projectId, this.projects.current?.name ?? 'Project')
    void this.#watchJobs(projectId)
    // Every page it applies bumps sync.version, which App.svelte turns into storeChanged().
    await sync.open(projectId)
  }

  closeProject(): void {
    this.#sync?.close()
    this.jobs.close()
    this.browse.close()
    this.generate.close()
    this.review.close()
    this.datasets.close()
    this.batches.close()
    this.importWizard.reset()
    this.projects.close()
    this.#view = 'projects'
  }

  async deleteProject(projectId: string, confirmName: string): Promise<void> {
    if (this.projects.current?.id === projectId) this.closeProject()
    await this.projects.delete(projectId, confirmName)
  }

  /**
   * The projection applied more of the log: every view whose rows it changed re-queries. Pages of review
   * decisions alone (one per decision while a person reviews) leave samples, candidates, batches and
   * exports as they were, so only the views that show decisions read again.
   */
  storeChanged(): void {
    const sync = this.#sync
    const change: StoreChange = sync?.changesSince(this.#seenStoreVersion) ?? 'everything'
    this.#seenStoreVersion = sync?.version ?? 0
    this.browse.storeChanged()
    void this.review.storeChanged(change)
    if (change !== 'everything') return
    void this.batches.refresh()
    this.generate.storeChanged()
    void this.datasets.storeChanged()
  }

  #jobSettled(job: JobSnapshot): void {
    const counts = importCounts.safeParse(job.result)
    if (job.status === 'done' && counts.success) {
      const { imported, duplicates, rejected } = counts.data
      this.notifications.success(
        `${job.title}: ${formatCount(imported)} imported, ${formatCount(duplicates)} duplicates skipped, ` +
          `${formatCount(rejected)} rejected.`,
      )
    } else if (job.status === 'done') this.notifications.success(`${job.title}: done.`)
    else if (job.status === 'cancelled') this.notifications.info(`${job.title}: cancelled.`)
    else this.notifications.error(`${job.title}: ${job.status}.${job.error ? ` ${job.error}` : ''}`)
  }

  async #watchJobs(projectId: string): Promise<void> {
    await this.jobs.open(projectId)
    const running = this.jobs.active.find((job) => job.kind === 'import')
    if (running) this.importWizard.watch(running)
  }

  async #loadInfo(): Promise<void> {
    try {
      this.#info = await api['app.info']({})
    } catch {
      // Without app.info the UI still works: no Browse… button, no version in the footer.
    }
  }
}

const [getApp, setApp] = createContext<AppState>()
export { getApp, setApp }
