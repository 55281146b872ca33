// The current project's import batches as the store has them (newest first): the import history, the
// browse table's batch filter and the finished import's summary and error list all read this one list.
import type { ImportBatchRow, WinnowDb } from '../db/database'
import { listBatches } from '../db/repos/import-batches.repo'

export class BatchesState {
  #db: WinnowDb | null = null
  #projectId: string | null = null
  #list = $state.raw<ImportBatchRow[]>([])
  #error = $state<string | null>(null)
  #request = 0

  get list(): readonly ImportBatchRow[] {
    return this.#list
  }

  get error(): string | null {
    return this.#error
  }

  get(batchId: string | null): ImportBatchRow | null {
    return batchId === null ? null : (this.#list.find((batch) => batch.id === batchId) ?? null)
  }

  open(db: WinnowDb, projectId: string): void {
    this.#db = db
    this.#projectId = projectId
    this.#list = []
    void this.refresh()
  }

  close(): void {
    this.#db = null
    this.#projectId = null
    this.#list = []
  }

  /** Re-reads the list; answers that arrive after a newer request or a project change are dropped. */
  async refresh(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    const request = ++this.#request
    try {
      const list = await listBatches(db, projectId)
      if (request === this.#request && projectId === this.#projectId) this.#list = list
      this.#error = null
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
    }
  }
}
