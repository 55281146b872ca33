// The import wizard: choose a file, preview it (format, fields, first rows), declare who wrote it, start the
// import job, then follow it. Progress comes from the jobs state (events); the summary and error list come
// from the import batch in the store once the projection has applied the batch's end.
import type { ImportFormat, ImportSpec, OriginSpec } from '@shared/domain/import-spec'
import type { Origin } from '@shared/domain/sample'
import type { Reply } from '@shared/ipc/contract'
import type { JobSnapshot } from '@shared/jobs/job'
import { isTerminal } from '@shared/jobs/job'
import { api } from '../lib/api'
import type { JobsState } from './jobs.svelte'
import { distinctValues, guessOrigin } from './origin-values'

export type ImportPreview = Reply<'import.preview'>
export type OriginChoice = Origin | 'field'
export type WizardStep = 'choose' | 'preview' | 'running' | 'finished'

export class ImportWizard {
  readonly #jobs: JobsState
  #path = $state('')
  #preview = $state.raw<ImportPreview | null>(null)
  #isPreviewing = $state(false)
  #previewError = $state<string | null>(null)
  #textField = $state<string | null>(null)
  #idField = $state<string | null>(null)
  #originChoice = $state<OriginChoice>('unknown')
  #originField = $state<string | null>(null)
  #originValues = $state<Record<string, Origin>>({})
  #isStarting = $state(false)
  #startError = $state<string | null>(null)
  #jobId = $state<string | null>(null)
  #batchId = $state<string | null>(null)

  constructor(jobs: JobsState) {
    this.#jobs = jobs
  }

  get path(): string {
    return this.#path
  }
  get preview(): ImportPreview | null {
    return this.#preview
  }
  get isPreviewing(): boolean {
    return this.#isPreviewing
  }
  get previewError(): string | null {
    return this.#previewError
  }
  get textField(): string | null {
    return this.#textField
  }
  get idField(): string | null {
    return this.#idField
  }
  get originChoice(): OriginChoice {
    return this.#originChoice
  }
  get originField(): string | null {
    return this.#originField
  }
  get originValues(): Readonly<Record<string, Origin>> {
    return this.#originValues
  }
  get isStarting(): boolean {
    return this.#isStarting
  }
  get startError(): string | null {
    return this.#startError
  }
  get batchId(): string | null {
    return this.#batchId
  }
  get job(): JobSnapshot | null {
    return this.#jobs.get(this.#jobId)
  }

  get step(): WizardStep {
    const job = this.job
    if (this.#jobId !== null) return job !== null && isTerminal(job.status) ? 'finished' : 'running'
    return this.#preview === null ? 'choose' : 'preview'
  }

  /** What is missing before Import can start, in words; null when ready. */
  get blocker(): string | null {
    if (this.#preview === null) return 'Preview the file first.'
    if (this.#textField === null) return 'Choose the field that holds the text.'
    if (this.#originChoice === 'field' && this.#originField === null)
      return 'Choose the field that says who wrote it.'
    return null
  }

  setPath(path: string): void {
    this.#path = path
  }

  async pickFile(): Promise<void> {
    const { path } = await api['files.pickImport']({})
    if (path === null) return
    this.#path = path
    await this.loadPreview(null)
  }

  /** Reads the first rows; with a format, as that format (the person overrode the detection). */
  async loadPreview(format: ImportFormat | null): Promise<void> {
    const path = this.#path.trim()
    if (path === '') {
      this.#previewError = 'Type the path of the file to import.'
      return
    }
    this.#isPreviewing = true
    this.#previewError = null
    try {
      const preview = await api['import.preview']({ path, format })
      this.#preview = preview
      this.#textField = preview.suggestedTextField ?? preview.fields[0] ?? null
      this.#idField = preview.suggestedIdField
      if (this.#originField !== null && !preview.fields.includes(this.#originField))
        this.chooseOriginField(null)
    } catch (error) {
      this.#preview = null
      this.#previewError = error instanceof Error ? error.message : String(error)
    } finally {
      this.#isPreviewing = false
    }
  }

  chooseTextField(field: string | null): void {
    this.#textField = field
  }

  chooseIdField(field: string | null): void {
    this.#idField = field
  }

  chooseOrigin(choice: OriginChoice): void {
    this.#originChoice = choice
  }

  /** Picks the origin field and pre-maps its preview values with guessOrigin. */
  chooseOriginField(field: string | null): void {
    this.#originField = field
    const values: Record<string, Origin> = {}
    if (field !== null && this.#preview) {
      for (const value of distinctValues(this.#preview.rows, field)) values[value] = guessOrigin(value)
    }
    this.#originValues = values
  }

  mapOriginValue(value: string, origin: Origin): void {
    this.#originValues = { ...this.#originValues, [value]: origin }
  }

  spec(): ImportSpec | null {
    const preview = this.#preview
    if (preview === null || this.#textField === null || this.blocker !== null) return null
    const origin: OriginSpec =
      this.#originChoice === 'field'
        ? { kind: 'field', field: this.#originField ?? '', values: { ...this.#originValues } }
        : { kind: 'declared', value: this.#originChoice }
    return {
      path: this.#path.trim(),
      format: preview.format,
      textField: this.#textField,
      idField: this.#idField,
      origin,
    }
  }

  async start(projectId: string): Promise<void> {
    const spec = this.spec()
    if (spec === null) return
    this.#isStarting = true
    this.#startError = null
    try {
      const { jobId, batchId } = await api['import.start']({ projectId, spec })
      this.#jobId = jobId
      this.#batchId = batchId
    } catch (error) {
      this.#startError = error instanceof Error ? error.message : String(error)
    } finally {
      this.#isStarting = false
    }
  }

  async cancel(): Promise<void> {
    if (this.#jobId !== null) await this.#jobs.cancel(this.#jobId)
  }

  /** Follows an import that is already running (after a reload or coming back to the project). */
  watch(job: JobSnapshot): void {
    if (this.#jobId !== null || job.kind !== 'import') return
    const params = job.params
    const batchId: unknown =
      typeof params === 'object' && params !== null ? Reflect.get(params, 'batchId') : null
    this.#jobId = job.id
    this.#batchId = typeof batchId === 'string' ? batchId : null
  }

  /** Back to an empty wizard for the next file. */
  reset(): void {
    this.#path = ''
    this.#preview = null
    this.#previewError = null
    this.#textField = null
    this.#idField = null
    this.#originChoice = 'unknown'
    this.#originField = null
    this.#originValues = {}
    this.#startError = null
    this.#jobId = null
    this.#batchId = null
  }
}
