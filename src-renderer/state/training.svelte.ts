// The fine-tune screen's state: the recipes and the overview main builds from the log (runs, generations,
// dataset snapshots), the live view of running runs (training.live events), and the form a run starts from.
// Main does the work; this asks, remembers the answers, and asks again when a training job changes state.
import type { Api, EventPayload, Reply } from '@shared/ipc/contract'
import type { JobSnapshot } from '@shared/jobs/job'
import type { TrainingRunSpec } from '@shared/domain/training-run'
import { baseModelShape, baseModelExample, type BaseModelKind } from '@shared/training/base-model'
import { api as defaultApi, onEvent as defaultOnEvent } from '../lib/api'

export type TrainingOverview = Reply<'training.overview'>
export type RecipeInfo = Reply<'training.recipes'>[number]
export type LiveRun = EventPayload<'training.live'>
type TrainingApi = Pick<Api, 'training.overview' | 'training.recipes' | 'training.start' | 'jobs.cancel'>
type Subscribe = <E extends 'training.live' | 'jobs.changed'>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
) => () => void

const trainingJobKind = 'training.run'

/** The most recently registered generation (the list is in lineage order, not registration order). */
const newest = <G extends { createdAt: string }>(generations: readonly G[]): G | undefined =>
  generations.reduce<G | undefined>(
    (latest, g) => (latest && latest.createdAt >= g.createdAt ? latest : g),
    undefined,
  )
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>
/** localStorage where there is one (the renderer), nothing under Node; a sandboxed page may throw on access. */
function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}
/** The per-recipe values a person would otherwise type again for every run. */
const remembered = ['baseModel', 'python'] as const
const storageKey = (recipeId: string, field: (typeof remembered)[number]) =>
  `winnow.training.${recipeId}.${field}`

/** What the person fills in; numbers stay text until the run starts, so a half-typed value is not lost. */
export interface RunForm {
  snapshotId: string
  recipeId: string
  parentGenerationId: string
  hyperparameters: Record<string, string>
  /** The custom recipe's command, one argument per line. */
  customArgv: string
  python: string
  /** The Hugging Face id or local model folder, for recipes that load one (remembered per recipe). */
  baseModel: string
  registerInOllama: boolean
  ollamaHost: string
  label: string
}

export class TrainingState {
  #overview = $state.raw<TrainingOverview | null>(null)
  #recipes = $state.raw<RecipeInfo[]>([])
  #live = $state.raw<Record<string, LiveRun>>({})
  #error = $state<string | null>(null)
  #notice = $state<string | null>(null)
  #isBusy = $state(false)
  /** Main's refusal of the last start, shown beside the Start button. */
  #startError = $state<string | null>(null)
  readonly form = $state<RunForm>({
    snapshotId: '',
    recipeId: 'llamacpp-finetune',
    parentGenerationId: '',
    hyperparameters: {},
    customArgv: '',
    python: '',
    baseModel: '',
    registerInOllama: false,
    ollamaHost: 'http://127.0.0.1:11434',
    label: '',
  })
  readonly #api: TrainingApi
  readonly #subscribe: Subscribe
  readonly #projectId: string
  readonly #storage: Storage | null
  #unsubscribe: (() => void)[] = []
  #readCount = 0
  #generationCount = 0
  /** Runs whose first live view made this read the overview again. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  readonly #askedFor = new Set<string>()

  constructor(
    projectId: string,
    deps: { api?: TrainingApi; onEvent?: Subscribe; storage?: Storage | null } = {},
  ) {
    this.#projectId = projectId
    this.#api = deps.api ?? defaultApi
    this.#subscribe = deps.onEvent ?? defaultOnEvent
    this.#storage = deps.storage === undefined ? defaultStorage() : deps.storage
  }

  get overview(): TrainingOverview | null {
    return this.#overview
  }
  get recipes(): RecipeInfo[] {
    return this.#recipes
  }
  get recipe(): RecipeInfo | null {
    return this.#recipes.find((r) => r.recipe.id === this.form.recipeId) ?? null
  }
  get error(): string | null {
    return this.#error
  }
  get notice(): string | null {
    return this.#notice
  }
  get startError(): string | null {
    return this.#startError
  }
  /** What base model the chosen recipe loads: `hf` and `any` show the Base model field. */
  get baseModelKind(): BaseModelKind | null {
    return this.recipe?.recipe.baseModel ?? null
  }
  get isBusy(): boolean {
    return this.#isBusy
  }

  /** The live view of a run still training, from events (or the overview after a reload). */
  live(runId: string): LiveRun | null {
    return this.#live[runId] ?? null
  }

  /** Subscribes first, then reads, so no event falls between the two. */
  async open(): Promise<void> {
    this.close()
    this.#unsubscribe = [
      this.#subscribe('training.live', (live) => {
        if (live.projectId !== this.#projectId) return
        this.#live = { ...this.#live, [live.runId]: live }
        // The first sign of a run that started after the last read: read its record (once per run).
        const isKnown = this.#overview?.runs.some((run) => run.started.runId === live.runId) ?? false
        if (!isKnown && !this.#askedFor.has(live.runId)) {
          this.#askedFor.add(live.runId)
          void this.refresh()
        }
      }),
      this.#subscribe('jobs.changed', (job: JobSnapshot) => {
        // Status changes only: progress events arrive ten times a second and change nothing in the log.
        if (job.projectId === this.#projectId && job.kind === trainingJobKind && job.status !== 'running')
          void this.refresh()
      }),
    ]
    try {
      this.#recipes = await this.#api['training.recipes']({})
      if (this.recipe !== null) this.chooseRecipe(this.form.recipeId)
    } catch (error) {
      this.#error = `Could not read the trainer recipes: ${errorText(error)}`
    }
    await this.refresh()
  }

  close(): void {
    for (const stop of this.#unsubscribe) stop()
    this.#unsubscribe = []
  }

  /** Re-reads the overview; an older answer arriving after a newer one is dropped. */
  async refresh(): Promise<void> {
    const read = ++this.#readCount
    try {
      const overview = await this.#api['training.overview']({ projectId: this.#projectId })
      if (read !== this.#readCount) return
      this.#overview = overview
      const live = { ...this.#live }
      for (const view of overview.live) live[view.runId] ??= view
      this.#live = live
      // Sensible choices once there is something to choose: the newest snapshot, the latest generation.
      if (!overview.snapshots.some((s) => s.id === this.form.snapshotId))
        this.form.snapshotId = overview.snapshots[0]?.id ?? ''
      // A newly registered generation is the likely next parent (a run just made it).
      const isNew = overview.generations.length > this.#generationCount
      this.#generationCount = overview.generations.length
      if (isNew || !overview.generations.some((g) => g.id === this.form.parentGenerationId))
        this.form.parentGenerationId = newest(overview.generations)?.id ?? ''
    } catch (error) {
      if (read === this.#readCount) this.#error = `Could not read the fine-tuning runs: ${errorText(error)}`
    }
  }

  /** Switches recipe and puts its starting values in the form, with what was last used with it. */
  chooseRecipe(recipeId: string): void {
    this.form.recipeId = recipeId
    this.#startError = null
    const defaults = this.recipe?.defaults ?? {}
    this.form.hyperparameters = Object.fromEntries(
      Object.entries(defaults).map(([name, value]) => [name, value === null ? '' : String(value)]),
    )
    // A base model belongs to its recipe (an MLX folder is no use to TRL); the Python may be shared.
    this.form.baseModel = this.#recall(recipeId, 'baseModel') ?? ''
    this.form.python = this.#recall(recipeId, 'python') ?? this.form.python
  }

  #recall(recipeId: string, field: (typeof remembered)[number]): string | null {
    try {
      return this.#storage?.getItem(storageKey(recipeId, field)) || null
    } catch {
      return null
    }
  }

  /** Keeps what a started run used, for the next run of the same recipe. */
  #remember(spec: TrainingRunSpec): void {
    const values = { baseModel: spec.baseModel ?? null, python: spec.python }
    for (const field of remembered) {
      const value = values[field]
      if (value === null || value === '') continue
      try {
        this.#storage?.setItem(storageKey(spec.recipeId, field), value)
      } catch {
        // Storage refused (private mode, quota): the form keeps the value for this session.
      }
    }
  }

  /** Why the run cannot start yet, in words; null when it can. */
  get blocker(): string | null {
    const overview = this.#overview
    if (overview === null) return 'Reading the project…'
    if (overview.snapshots.length === 0)
      return 'Export a dataset first (Datasets): a run trains on a frozen export.'
    if (overview.generations.length === 0)
      return 'Register the base model as generation 0 in the Monitor first: a run trains a registered generation.'
    const recipe = this.recipe
    if (recipe === null) return 'Choose a recipe.'
    if (!recipe.readiness.isReady) return recipe.readiness.note
    if (recipe.recipe.runtime.kind === 'custom' && this.form.customArgv.trim() === '')
      return 'Type your trainer command, one argument per line.'
    if (recipe.recipe.runtime.kind === 'python' && this.form.python.trim() === '')
      return 'Give the python of the environment the recipe runs in.'
    const baseModel = this.form.baseModel.trim()
    if (recipe.recipe.baseModel === 'hf' && baseModel === '')
      return `Enter the base model: a Hugging Face id such as ${baseModelExample}, or the full path of a local model folder.`
    if (recipe.recipe.baseModel !== 'gguf' && baseModel !== '') {
      const shape = baseModelShape(baseModel)
      if (shape.kind === 'invalid') return shape.reason
    }
    const bad = Object.entries(this.form.hyperparameters).find(
      ([, text]) => text.trim() !== '' && !Number.isFinite(Number(text)),
    )
    return bad === undefined ? null : `${bad[0]} must be a number.`
  }

  spec(): TrainingRunSpec {
    const { form } = this
    const isCustom = this.recipe?.recipe.runtime.kind === 'custom'
    const isPython = this.recipe?.recipe.runtime.kind === 'python'
    const takesBaseModel = this.baseModelKind === 'hf' || this.baseModelKind === 'any'
    return {
      snapshotId: form.snapshotId,
      recipeId: form.recipeId,
      parentGenerationId: form.parentGenerationId,
      hyperparameters: Object.fromEntries(
        Object.entries(form.hyperparameters).map(([name, text]) => [
          name,
          text.trim() === '' ? null : Number(text),
        ]),
      ),
      customArgv: isCustom ? form.customArgv.split('\n').filter((line) => line.trim() !== '') : null,
      python: isPython ? form.python.trim() : null,
      baseModel: takesBaseModel && form.baseModel.trim() !== '' ? form.baseModel.trim() : null,
      ollamaHost: form.registerInOllama ? form.ollamaHost.trim() : null,
      label: form.label.trim() === '' ? null : form.label.trim(),
    }
  }

  async start(): Promise<void> {
    // The reason is already written beside the (disabled) Start button.
    if (this.blocker !== null) return
    this.#startError = null
    const spec = this.spec()
    await this.#act(async () => {
      try {
        await this.#api['training.start']({ projectId: this.#projectId, spec })
      } catch (error) {
        // Main's refusal says what to change in the form: shown there, not as a screen error.
        this.#startError = errorText(error)
        return
      }
      this.#remember(spec)
      this.#notice = 'The run has started: its progress, loss and log are below.'
      await this.refresh()
    })
  }

  async cancel(jobId: string): Promise<void> {
    await this.#act(async () => {
      const { cancelled } = await this.#api['jobs.cancel']({ jobId })
      this.#notice = cancelled ? 'Cancelling: the trainer and its processes are being stopped.' : null
    })
  }

  async #act(action: () => Promise<void>): Promise<void> {
    this.#isBusy = true
    this.#error = null
    this.#notice = null
    try {
      await action()
    } catch (error) {
      this.#error = errorText(error)
    } finally {
      this.#isBusy = false
    }
  }
}
