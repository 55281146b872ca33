// The fine-tuning runs' view of each project's log: folded once per process from the run and snapshot
// events, then kept current by appending through here (only the training job writes run events, in main).
import { TrainingFold, trainingEventKinds } from '@shared/training/training-fold'
import type { ProjectRegistry, TypedInput } from '../projects/project-registry'
import { ProjectFolds } from '../projects/project-folds'

type TrainingKind = 'training.runStarted' | 'training.runProgress' | 'training.runFinished'
type TrainingInput = TypedInput<TrainingKind>

export class TrainingLog extends ProjectFolds<TrainingFold, TrainingKind> {
  /** The log position each fold has read up to (for refreshSnapshots). */
  readonly #caughtUp = new Map<string, number>()

  constructor(registry: ProjectRegistry) {
    super(registry, (projectId) => this.#replay(projectId))
  }

  /**
   * At start-up, while the project is still loading: the cached fold may itself be waiting for that load, so
   * this reads the log afresh and appends without waiting on the cache, which folds the events in when ready
   * (applying an event twice changes nothing).
   */
  async recordDuringLoad(projectId: string, decide: (fold: TrainingFold) => TrainingInput[]): Promise<void> {
    const inputs = decide(await this.#replay(projectId))
    if (inputs.length === 0) return
    const events = await this.registry.append(projectId, inputs, { urgent: true })
    void this.cached(projectId)?.then(
      (fold) => events.forEach((event) => fold.apply(event)),
      () => undefined,
    )
  }

  /**
   * Snapshots are exported by another service: the fold catches up with what was appended since it last
   * looked, reading only the log's new events (never the whole log again).
   */
  async refreshSnapshots(projectId: string): Promise<TrainingFold> {
    const fold = await this.fold(projectId)
    let after = this.#caughtUp.get(projectId) ?? 0
    for (;;) {
      const events = await this.registry.read(projectId, after, 1000, 1 << 22)
      for (const event of events) if (trainingEventKinds.has(event.kind)) fold.apply(event)
      if (events.length === 0) break
      after = events.at(-1)!.seq
    }
    this.#caughtUp.set(projectId, after)
    return fold
  }

  async #replay(projectId: string): Promise<TrainingFold> {
    const fold = new TrainingFold()
    // Everything up to the head at the start is in the replay; what is appended meanwhile is read on refresh.
    const { lastSeq } = await this.registry.head(projectId)
    for await (const event of this.registry.replayKinds(projectId, trainingEventKinds)) fold.apply(event)
    this.#caughtUp.set(projectId, Math.max(this.#caughtUp.get(projectId) ?? 0, lastSeq))
    return fold
  }
}
