// The Generate screen's state: the shipped templates, the chosen template and models, the grid and
// sampling fields as typed, the first sample for the live preview, and the job it started.
import type { Reply } from '@shared/ipc/contract'
import type { GenerationSpec, ModelTarget } from '@shared/domain/generation-spec'
import type { WinnowDb, SampleRow } from '../db/database'
import { countSampleRows, noSampleFilter, pageSamples } from '../db/repos/samples.repo'
import { api } from '../lib/api'
import { defaultFields, parseFields, type GenerateFields, type ParsedFields } from './generate-form'

export type ListedTemplate = Reply<'templates.list'>[number]

export class GenerateState {
  #templates = $state.raw<ListedTemplate[]>([])
  #templatesError = $state<string | null>(null)
  #templateId = $state<string | null>(null)
  #models = $state.raw<string[]>([])
  #fields = $state.raw<GenerateFields>(defaultFields)
  #sample = $state.raw<SampleRow | null>(null)
  #sampleCount = $state(0)
  #isShown = false
  #jobId = $state<string | null>(null)
  #isStarting = $state(false)
  #db: WinnowDb | null = null
  #projectId: string | null = null

  get templates(): ListedTemplate[] {
    return this.#templates
  }

  get templatesError(): string | null {
    return this.#templatesError
  }

  get template(): ListedTemplate | null {
    return this.#templates.find((listed) => listed.template.id === this.#templateId) ?? null
  }

  get models(): string[] {
    return this.#models
  }

  get fields(): GenerateFields {
    return this.#fields
  }

  get parsed(): ParsedFields {
    return parseFields(this.#fields)
  }

  /** The first sample of the project, for the preview; null when there is none (yet). */
  get sample(): SampleRow | null {
    return this.#sample
  }

  /** Samples in the store (the projection of the log): what "all samples" means for the plan. */
  get sampleCount(): number {
    return this.#sampleCount
  }

  get jobId(): string | null {
    return this.#jobId
  }

  get isStarting(): boolean {
    return this.#isStarting
  }

  /** Samples × models × temperatures × candidates per cell; null while a field is not valid. */
  get planned(): number | null {
    const parsed = this.parsed
    if (!parsed.ok) return null
    const { temperatures, candidatesPerCell } = parsed.value
    return this.#sampleCount * this.#models.length * temperatures.length * candidatesPerCell
  }

  open(db: WinnowDb, projectId: string): void {
    this.#db = db
    this.#projectId = projectId
    this.#sample = null
    this.#sampleCount = 0
    this.#jobId = null
    void this.loadTemplates()
    void this.#loadSamples()
  }

  /** The screen is showing: counts are kept current only then, since every applied page recounts. */
  show(): void {
    this.#isShown = true
    void this.#loadSamples()
  }

  hide(): void {
    this.#isShown = false
  }

  close(): void {
    this.#db = null
    this.#projectId = null
    this.#sample = null
    this.#sampleCount = 0
    this.#jobId = null
  }

  /** The store gained rows: the preview may now have a sample to show. */
  storeChanged(): void {
    if (this.#isShown || this.#sample === null) void this.#loadSamples()
  }

  async loadTemplates(): Promise<void> {
    try {
      this.#templates = await api['templates.list']({})
      this.#templatesError = null
      if (this.template === null) this.#templateId = this.#templates[0]?.template.id ?? null
    } catch (error) {
      this.#templatesError = error instanceof Error ? error.message : String(error)
    }
  }

  chooseTemplate(id: string): void {
    this.#templateId = id
  }

  toggleModel(name: string, isChosen: boolean): void {
    const rest = this.#models.filter((model) => model !== name)
    this.#models = isChosen ? [...rest, name] : rest
  }

  /** Models no longer installed are dropped from the choice. */
  keepModels(installed: string[]): void {
    const kept = this.#models.filter((model) => installed.includes(model))
    if (kept.length !== this.#models.length) this.#models = kept
  }

  update(patch: Partial<GenerateFields>): void {
    this.#fields = { ...this.#fields, ...patch }
  }

  /** Chosen names found in `embedded` run in-process through llama.cpp; the rest at the Ollama host. */
  async start(
    projectId: string,
    host: string,
    allowRemoteHost: boolean,
    embedded: readonly { name: string; path: string }[] = [],
  ): Promise<number> {
    const template = this.template
    const parsed = this.parsed
    if (template === null) throw new Error('Choose a template first.')
    if (this.#models.length === 0) throw new Error('Choose at least one model.')
    if (!parsed.ok) throw new Error('Fix the highlighted fields first.')
    const spec: GenerationSpec = {
      sampleIds: null,
      template: template.template,
      models: this.#models.map((model): ModelTarget => {
        const file = embedded.find((candidate) => candidate.name === model)
        return file ? { engine: 'llamacpp', modelPath: file.path, model } : { engine: 'ollama', host, model }
      }),
      ...parsed.value,
      stop: [],
      concurrency: 2,
      allowRemoteHost,
    }
    this.#isStarting = true
    try {
      const { jobId, candidates } = await api['generation.start']({ projectId, spec })
      this.#jobId = jobId
      return candidates
    } finally {
      this.#isStarting = false
    }
  }

  async #loadSamples(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    try {
      const [first] = await pageSamples(db, projectId, noSampleFilter, 0, 1)
      const count = await countSampleRows(db, projectId)
      if (projectId !== this.#projectId) return
      this.#sample = first ?? null
      this.#sampleCount = count
    } catch {
      // The preview is a convenience: without a sample it says so, and generation still works.
    }
  }
}
