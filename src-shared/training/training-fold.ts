// What the log says about fine-tuning runs, folded: each run's start, its recorded loss points and its end,
// and a summary of every frozen dataset snapshot (without its id lists, which can be large). Applying the
// same event twice leaves the same state: everything is keyed by id, and a run's first end wins.
import type { LogEvent } from '../domain/log-events'
import { readLogEvent } from '../domain/log-events'
import type { DatasetSnapshot } from '../domain/dataset-snapshot'
import type { TrainingRunFinished, TrainingRunView } from '../domain/training-run'

export const trainingEventKinds: ReadonlySet<string> = new Set([
  'training.runStarted',
  'training.runProgress',
  'training.runFinished',
  'dataset.exported',
])

/** A snapshot as the fine-tune screen offers it: what it holds, not which ids. */
export type SnapshotSummary = Omit<DatasetSnapshot, 'splits' | 'spec' | 'formatOptions' | 'warnings'> & {
  trainRows: number
  testRows: number
}

export const interruptedMessage =
  'Winnow stopped while this run was training. Start a new run: the trainer starts again from the parent model.'

export class TrainingFold {
  readonly runs = new Map<string, TrainingRunView>()
  readonly snapshots = new Map<string, SnapshotSummary>()
  readonly #seen = new Set<string>()

  apply(raw: LogEvent): void {
    const event = readLogEvent(raw)
    if (event === null || this.#seen.has(event.id)) return
    this.#seen.add(event.id)
    switch (event.kind) {
      case 'training.runStarted':
        if (!this.runs.has(event.data.run.runId))
          this.runs.set(event.data.run.runId, { started: event.data.run, points: [], finished: null })
        break
      case 'training.runProgress':
        this.runs.get(event.data.runId)?.points.push(...event.data.points)
        break
      case 'training.runFinished': {
        const run = this.runs.get(event.data.run.runId)
        if (run !== undefined && run.finished === null) run.finished = event.data.run
        break
      }
      case 'dataset.exported': {
        const {
          splits,
          spec: _spec,
          formatOptions: _options,
          warnings: _warnings,
          ...rest
        } = event.data.snapshot
        this.snapshots.set(rest.id, { ...rest, trainRows: splits.train.length, testRows: splits.test.length })
        break
      }
      default:
    }
  }

  /** Newest first. */
  list(): TrainingRunView[] {
    return [...this.runs.values()].sort((a, b) => b.started.startedAt.localeCompare(a.started.startedAt))
  }

  runOfJob(jobId: string): TrainingRunView | undefined {
    return [...this.runs.values()].find((run) => run.started.jobId === jobId)
  }
}

/**
 * The ends to record for runs the log says started but never finished, other than those training in this
 * process right now: their process died with Winnow, so they are interrupted.
 */
export function interruptedRuns(
  runs: Iterable<TrainingRunView>,
  isLive: (runId: string) => boolean,
  now: Date,
): TrainingRunFinished[] {
  const ends: TrainingRunFinished[] = []
  for (const run of runs) {
    if (run.finished !== null || isLive(run.started.runId)) continue
    ends.push({
      runId: run.started.runId,
      status: 'interrupted',
      error: interruptedMessage,
      outputs: [],
      seconds: null,
      generationId: null,
      ollamaModel: null,
      logTail: '',
      finishedAt: now.toISOString(),
    })
  }
  return ends
}
