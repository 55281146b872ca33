// A per-project fold of some event kinds (the collapse monitor's, the fine-tuning runs'), replayed from the
// log once per process and kept current by appending those kinds through it: only the service that owns
// them writes them, and only in main, so the fold never has to read the log again to stay right.
import type { LogEvent, LogEventKind } from '@shared/domain/log-events'
import type { ProjectRegistry, TypedInput } from './project-registry'

export interface Fold {
  apply(event: LogEvent): void
}

export class ProjectFolds<F extends Fold, K extends LogEventKind> {
  readonly #folds = new Map<string, Promise<F>>()

  constructor(
    protected readonly registry: ProjectRegistry,
    private readonly replay: (projectId: string) => Promise<F>,
  ) {}

  fold(projectId: string): Promise<F> {
    let fold = this.#folds.get(projectId)
    if (fold === undefined) {
      fold = this.replay(projectId)
      this.#folds.set(projectId, fold)
      // A failed read is not remembered: the next call tries again.
      fold.catch(() => this.#folds.delete(projectId))
    }
    return fold
  }

  /** The fold if one was asked for already (it may still be replaying); never starts a replay. */
  cached(projectId: string): Promise<F> | undefined {
    return this.#folds.get(projectId)
  }

  /** Appends (flushed before this resolves) and folds the written events. */
  async record(projectId: string, inputs: TypedInput<K>[]): Promise<F> {
    const fold = await this.fold(projectId)
    const events = await this.registry.append(projectId, inputs, { urgent: true })
    for (const event of events) fold.apply(event)
    return fold
  }
}
