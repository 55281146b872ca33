// The Team panel's state: merging another annotator's copy of this project into it (merge.import) and the
// agreement between the project's annotators (merge.agreement). Main holds the logs and computes both;
// this keeps the latest answers, whether a request is under way, and what went wrong in words.
import type { Api, Reply } from '@shared/ipc/contract'
import { api as defaultApi } from '../lib/api'

export type Agreement = Reply<'merge.agreement'>
export type MergeCounts = Omit<Reply<'merge.import'>, 'agreement'>
export interface MergeOutcome extends MergeCounts {
  fromName: string
}
export interface MergeSource {
  id: string
  name: string
}

type TeamApi = Pick<Api, 'merge.import' | 'merge.agreement'>

export class TeamState {
  #agreement = $state.raw<Agreement | null>(null)
  #lastMerge = $state.raw<MergeOutcome | null>(null)
  #isLoading = $state(false)
  #isMerging = $state(false)
  #error = $state<string | null>(null)

  constructor(
    private readonly projectId: string,
    private readonly api: TeamApi = defaultApi,
  ) {}

  /** Null until main first answers. */
  get agreement(): Agreement | null {
    return this.#agreement
  }
  get lastMerge(): MergeOutcome | null {
    return this.#lastMerge
  }
  get isLoading(): boolean {
    return this.#isLoading
  }
  get isMerging(): boolean {
    return this.#isMerging
  }
  get error(): string | null {
    return this.#error
  }

  async loadAgreement(): Promise<void> {
    this.#isLoading = true
    try {
      this.#agreement = await this.api['merge.agreement']({ projectId: this.projectId })
      this.#error = null
    } catch (error) {
      this.#error = `Could not compute the agreement figures: ${messageOf(error)} Try again; if it persists, run Verify provenance on the Review screen.`
    } finally {
      this.#isLoading = false
    }
  }

  /** Merges the other copy's decisions; main answers the counts and the agreement after the merge. */
  async merge(from: MergeSource): Promise<void> {
    if (this.#isMerging) return
    this.#isMerging = true
    this.#error = null
    try {
      const { agreement, ...counts } = await this.api['merge.import']({
        projectId: this.projectId,
        fromProjectId: from.id,
      })
      this.#lastMerge = { ...counts, fromName: from.name }
      this.#agreement = agreement
    } catch (error) {
      this.#error = `Could not merge “${from.name}”: ${messageOf(error)} Nothing was merged; check that it is a copy of this project (restored from its backup) and try again.`
    } finally {
      this.#isMerging = false
    }
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return /[.!?]$/.test(message) ? message : `${message}.`
}
