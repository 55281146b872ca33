// The `training.run` job: a frozen dataset snapshot, a recipe, hyperparameters and a parent generation in;
// the trainer run through the runner (no shell, own process group, cancel ends the tree); progress out as
// the job's reports and a sparse loss curve in the log; and, when it finishes, the outputs hashed and
// registered as the next model generation. Every run leaves runStarted, then exactly one runFinished.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import { uuidv7 } from '@shared/ids/uuidv7'
import type {
  LiveRun,
  TrainingRunFinished,
  TrainingRunSpec,
  TrainingRunStarted,
} from '@shared/domain/training-run'
import { interruptedRuns } from '@shared/training/training-fold'
import type { JobContext, JobWorker } from '../jobs/job-runner'
import type { MonitorLog } from '../monitor/monitor-log'
import type { MonitorService } from '../monitor/monitor-service'
import type { ProjectRegistry } from '../projects/project-registry'
import { baseModelDigest, chooseBaseModel } from './base-model'
import { loadRecipes } from './recipe'
import { trainingCommand } from './training-command'
import { trainingDataset } from './training-dataset'
import type { TrainingLog } from './training-log'
import { registerTrainedGeneration } from './training-registration'
import { TrainerWatch } from './trainer-watch'
import { startTrainer } from './trainer-process'
import { collectOutputs } from './training-outputs'
import type { BuildProgress } from './llama-finetune-build'

export const trainingJobKind = 'training.run'

export interface TrainingParams {
  projectId: string
  spec: TrainingRunSpec
}

export interface TrainingJobDeps {
  registry: ProjectRegistry
  log: TrainingLog
  monitorLog: MonitorLog
  monitor: MonitorService
  trainersDir: () => string
  /** The llama-finetune binary, built on first use (minutes) and cached outside the project. */
  llamaFinetune: (signal: AbortSignal, onProgress: (progress: BuildProgress) => void) => Promise<string>
  /** Live tail and curve of a running run, for the screen; never stored. */
  publish: (live: LiveRun) => void
  /** Run the trainer at this `nice` level where there is one; null for normal priority. */
  niceness?: number | null
}

export interface TrainingResult {
  runId: string
  generationId: string | null
  generation: number | null
}

export function createTrainingWorker(deps: TrainingJobDeps): JobWorker<TrainingParams> {
  const live = new Set<string>()
  return {
    kind: trainingJobKind,
    run: (params, context) => runTraining(deps, live, params, context),
    // The job was running when Winnow stopped: its run, if it had started one, ends as interrupted.
    onInterrupted: (job) =>
      deps.log.recordDuringLoad(job.projectId, (fold) => {
        const run = fold.runOfJob(job.id)
        return interruptedRuns(run ? [run] : [], (runId) => live.has(runId), new Date()).map((end) => ({
          kind: 'training.runFinished' as const,
          data: { run: end },
        }))
      }),
  }
}

async function runTraining(
  deps: TrainingJobDeps,
  live: Set<string>,
  { projectId, spec }: TrainingParams,
  context: JobContext,
): Promise<TrainingResult> {
  const fold = await deps.log.refreshSnapshots(projectId)
  const snapshot = fold.snapshots.get(spec.snapshotId)
  if (snapshot === undefined)
    throw new AppFailure('not-found', 'That dataset snapshot is not in this project: export a dataset first.')
  const parent = (await deps.monitorLog.fold(projectId)).generations.get(spec.parentGenerationId)
  if (parent === undefined)
    throw new AppFailure(
      'not-found',
      'The parent generation is not registered: register the base model as generation 0 in the Monitor.',
    )
  const recipe = (await loadRecipes(deps.trainersDir())).find((r) => r.id === spec.recipeId)
  if (recipe === undefined) throw new AppFailure('not-found', `There is no trainer recipe ${spec.recipeId}.`)

  // What the trainer loads, recorded as it is given to it: the parent's GGUF (with its digest) or the
  // Hugging Face id or folder the run names. Checked before anything is written.
  const choice = await chooseBaseModel(recipe, spec, parent)

  const runId = uuidv7()
  const workDir = join(deps.registry.folder(projectId), 'training', runId)
  const outputDir = join(workDir, 'output')
  await mkdir(outputDir, { recursive: true })
  const dataset = await trainingDataset(recipe, snapshot, workDir)
  const baseModel = { path: choice.path, sha256: await baseModelDigest(choice, parent) }
  const command = await trainingCommand({
    recipe,
    spec,
    runId,
    dataset,
    baseModel: baseModel.path,
    workDir,
    outputDir,
    trainersDir: deps.trainersDir(),
    niceness: deps.niceness,
    llamaFinetune: () =>
      deps.llamaFinetune(context.signal, (build) =>
        context.report({
          unit: 'percent built',
          done: build.percent ?? 0,
          total: 100,
          counts: {},
        }),
      ),
  })
  context.signal.throwIfAborted()

  const started: TrainingRunStarted = {
    runId,
    jobId: context.jobId,
    spec,
    recipeLabel: recipe.label,
    baseModel,
    dataset: {
      name: dataset.name,
      path: dataset.path,
      bytes: dataset.bytes,
      sha256: dataset.sha256,
      format: dataset.format,
      rows: dataset.rows,
    },
    argv: [command.argv.file, ...command.argv.args],
    workDir,
    startedAt: new Date().toISOString(),
  }
  await deps.log.record(projectId, [{ kind: 'training.runStarted', data: { run: started } }])
  live.add(runId)
  const watch = new TrainerWatch({
    projectId,
    runId,
    jobId: context.jobId,
    epochs: command.epochsPerStep,
    report: (progress) => context.report(progress),
    publish: deps.publish,
    persist: (points) =>
      deps.log.record(projectId, [{ kind: 'training.runProgress', data: { runId, points } }]).then(() => {}),
  })
  const finish = async (end: Omit<TrainingRunFinished, 'runId' | 'finishedAt' | 'logTail'>) => {
    await watch.flush()
    const run: TrainingRunFinished = {
      ...end,
      runId,
      logTail: watch.tail().slice(-16_000),
      finishedAt: new Date().toISOString(),
    }
    await deps.log.record(projectId, [{ kind: 'training.runFinished', data: { run } }])
    live.delete(runId)
  }

  const startedAt = performance.now()
  const seconds = () => (performance.now() - startedAt) / 1000
  let exit
  try {
    exit = await startTrainer({
      ...command.argv,
      cwd: workDir,
      signal: context.signal,
      onProgress: (progress) => watch.progress(progress),
      onLine: (stream, line) => watch.line(stream, line),
    }).exited
    // The whole curve is in the log before the generation it produced.
    await watch.flush()
  } catch (error) {
    await finish({ ...noOutputs(), status: 'failed', error: (error as Error).message, seconds: seconds() })
    throw error
  }
  if (exit.cancelled || context.signal.aborted) {
    await finish({ ...noOutputs(), status: 'cancelled', error: null, seconds: seconds() })
    throw new AppFailure('unavailable', 'The fine-tune was cancelled.')
  }
  if (exit.code !== 0) {
    const lastLine = (exit.stderr.text.trim() || exit.stdout.text.trim()).split('\n').pop() ?? ''
    const error =
      `${recipe.label} stopped with exit code ${exit.code ?? exit.signal}${lastLine ? `: ${lastLine}` : ''}. ` +
      'The log below shows why; fix that and start the run again.'
    await finish({ ...noOutputs(), status: 'failed', error, seconds: seconds() })
    throw new AppFailure('internal', error)
  }

  try {
    const output = await collectOutputs(recipe, command.outputPath, outputDir)
    const registered = await registerTrainedGeneration(deps.monitor, {
      projectId,
      spec,
      parent,
      runId,
      recipeId: recipe.id,
      hyperparameters: command.hyperparameters,
      baseModel,
      output,
      signal: context.signal,
    })
    await finish({
      status: 'done',
      error: registered.note,
      outputs: output.files,
      seconds: seconds(),
      generationId: registered.generation?.id ?? null,
      ollamaModel: registered.ollamaModel,
    })
    return {
      runId,
      generationId: registered.generation?.id ?? null,
      generation: registered.generation?.generation ?? null,
    }
  } catch (error) {
    const cancelled = context.signal.aborted
    await finish({
      ...noOutputs(),
      status: cancelled ? 'cancelled' : 'failed',
      error: cancelled ? null : `The trainer finished, but ${(error as Error).message}`,
      seconds: seconds(),
    })
    throw error
  }
}

const noOutputs = () => ({ outputs: [], generationId: null, ollamaModel: null })
