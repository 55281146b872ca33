// Fine-tuning behind the IPC contract: the recipes with whether this machine meets their requirements, the
// start of a `training.run` job (checked first, so a wrong choice is answered at once rather than as a
// failed job), and the overview the screen draws — runs, live progress, generations and snapshots.
import { AppFailure } from '@shared/ipc/result'
import type { LiveRun, TrainingRunSpec, TrainingRunView } from '@shared/domain/training-run'
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import type { SnapshotSummary } from '@shared/training/training-fold'
import type { JobRunner } from '../jobs/job-runner'
import type { MonitorLog } from '../monitor/monitor-log'
import { chooseBaseModel } from './base-model'
import { cachedLlamaFinetune, requireBuildTools } from './llama-finetune-build'
import { llamaFinetuneRecipeId } from './llamacpp-recipe'
import { loadRecipes, type Recipe } from './recipe'
import { baseHyperparameters } from './trainer-config'
import { llamaFinetuneDefaults } from './training-command'
import { trainingJobKind } from './training-job'
import type { TrainingLog } from './training-log'

export interface RecipeReadiness {
  /** False only when a run would certainly fail here (wrong platform, build tools missing). */
  isReady: boolean
  /** What stands between the person and a run, or what the first run will do. */
  note: string
}

export interface RecipeInfo {
  recipe: Recipe
  readiness: RecipeReadiness
  /** The hyperparameters the screen offers, with the values a run starts from. */
  defaults: Record<string, number | null>
}

export interface TrainingOverview {
  runs: TrainingRunView[]
  live: LiveRun[]
  generations: ModelGenerationRecord[]
  snapshots: SnapshotSummary[]
  /** Each probed generation's held-out perplexity on the frozen reference set (the monitor's probes). */
  probes: { generationId: string; perplexity: number | null; probedAt: string }[]
}

/** The Python recipes' knobs a person usually turns; the config file carries the rest at their defaults. */
const pythonKnobs = [
  'epochs',
  'learning_rate',
  'batch_size',
  'lora_rank',
  'lora_alpha',
  'max_seq_length',
] as const

export class TrainingService {
  readonly #jobs: JobRunner
  readonly #log: TrainingLog
  readonly #monitorLog: MonitorLog
  readonly #trainersDir: () => string
  readonly #live = new Map<string, LiveRun>()

  constructor(jobs: JobRunner, log: TrainingLog, monitorLog: MonitorLog, trainersDir: () => string) {
    this.#jobs = jobs
    this.#log = log
    this.#monitorLog = monitorLog
    this.#trainersDir = trainersDir
  }

  /** Remembers the latest live view of a run (the job publishes it); the overview hands it to a reload. */
  noteLive(live: LiveRun): void {
    this.#live.set(live.runId, live)
  }

  async recipes(): Promise<RecipeInfo[]> {
    const recipes = await loadRecipes(this.#trainersDir())
    return Promise.all(
      recipes.map(async (recipe) => ({
        recipe,
        readiness: await readiness(recipe),
        defaults:
          recipe.id === llamaFinetuneRecipeId
            ? { ...llamaFinetuneDefaults }
            : Object.fromEntries(
                pythonKnobs.map((name) => [name, recipe.defaults[name] ?? baseHyperparameters[name]]),
              ),
      })),
    )
  }

  async start(projectId: string, spec: TrainingRunSpec): Promise<{ jobId: string }> {
    const fold = await this.#log.refreshSnapshots(projectId)
    const snapshot = fold.snapshots.get(spec.snapshotId)
    if (snapshot === undefined)
      throw new AppFailure(
        'not-found',
        'That dataset snapshot is not in this project: export a dataset first.',
      )
    const parent = (await this.#monitorLog.fold(projectId)).generations.get(spec.parentGenerationId)
    if (parent === undefined)
      throw new AppFailure(
        'not-found',
        'The parent generation is not registered: register the base model as generation 0 in the Monitor.',
      )
    const recipe = (await loadRecipes(this.#trainersDir())).find((r) => r.id === spec.recipeId)
    if (recipe === undefined)
      throw new AppFailure('not-found', `There is no trainer recipe ${spec.recipeId}.`)
    // A base model the trainer could not load is answered now, not minutes later as a failed job.
    await chooseBaseModel(recipe, spec, parent)
    const title = `Fine-tune ${parent.label} on ${snapshot.name} (${recipe.label})`
    const job = await this.#jobs.start(projectId, trainingJobKind, title, { projectId, spec })
    return { jobId: job.id }
  }

  async overview(projectId: string): Promise<TrainingOverview> {
    const [fold, monitor] = await Promise.all([
      this.#log.refreshSnapshots(projectId),
      this.#monitorLog.fold(projectId),
    ])
    const runs = fold.list()
    const running = new Set(runs.filter((run) => run.finished === null).map((run) => run.started.runId))
    // A finished run's live view is of no more use: its curve and log tail are in the log.
    for (const runId of this.#live.keys()) if (!running.has(runId)) this.#live.delete(runId)
    return {
      runs,
      live: [...this.#live.values()].filter((live) => live.projectId === projectId),
      generations: monitor.ordered(),
      probes: [...monitor.probes.values()].map((probe) => ({
        generationId: probe.generationId,
        perplexity: probe.heldOut?.perplexity ?? null,
        probedAt: probe.probedAt,
      })),
      snapshots: [...fold.snapshots.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    }
  }
}

async function readiness(recipe: Recipe): Promise<RecipeReadiness> {
  const platform = process.platform as 'linux' | 'darwin' | 'win32'
  if (!recipe.requirements.platforms.includes(platform))
    return {
      isReady: false,
      note: `${recipe.label} runs on ${recipe.requirements.platforms.join(', ')}, not on this ${process.platform} machine.`,
    }
  if (recipe.id === llamaFinetuneRecipeId) {
    const cached = await cachedLlamaFinetune().catch(() => null)
    if (cached !== null)
      return { isReady: true, note: `llama-finetune is built (llama.cpp ${cached.release}).` }
    try {
      requireBuildTools()
    } catch (error) {
      return { isReady: false, note: (error as Error).message }
    }
    return {
      isReady: true,
      note:
        'llama-finetune will be built on first use, from the llama.cpp source shipped with Winnow: about 20 ' +
        'minutes on a 2-core machine, at low priority. `npm run build:finetune` builds it ahead of time.',
    }
  }
  switch (recipe.runtime.kind) {
    case 'python':
      return {
        isReady: true,
        note: `Needs a Python ${recipe.requirements.python ?? ''} environment with ${recipe.requirements.packages.join(', ')}: give its python${recipe.baseModel === 'hf' ? ' and the base model' : ''} below. ${recipe.install.summary}`,
      }
    case 'custom':
      return {
        isReady: true,
        note: 'Type your trainer command below, one argument per line; it runs without a shell.',
      }
    case 'executable':
      return { isReady: true, note: recipe.install.summary }
  }
}
