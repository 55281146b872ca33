// The collapse monitor as the dashboard sees it: the report main builds from the log, the forms to register a
// generation and freeze the sets, and the actions (probe, export). Main computes everything; this asks,
// remembers the answer, and asks again when the project's log moves (a probe finishing appends to it).
import type { Api, Reply } from '@shared/ipc/contract'
import { api as defaultApi } from '../lib/api'

export type CollapseReport = Reply<'monitor.report'>
type MonitorApi = Pick<
  Api,
  'monitor.report' | 'monitor.register' | 'monitor.freezeSets' | 'monitor.probe' | 'monitor.exportReport'
>

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** What the person types to register a generation; the parent is chosen from those registered. */
export interface GenerationForm {
  label: string
  engine: 'llamacpp' | 'ollama'
  /** Required for the embedded engine; for Ollama, the model's GGUF file scores the held-out texts. */
  ggufPath: string
  ollamaHost: string
  ollamaName: string
  parentId: string
}

export interface SetsForm {
  probeSize: number
  referenceSize: number
  samplesPerPrompt: number
  maxTokens: number
  seed: number
}

/** The embedding model probes use for the embedding metrics; 'none' measures none. */
export interface EmbeddingForm {
  engine: 'none' | 'ollama' | 'llamacpp'
  host: string
  /** An Ollama model name, or the absolute path of a GGUF embedding model. */
  model: string
}

export class MonitorState {
  #report = $state.raw<CollapseReport | null>(null)
  #error = $state<string | null>(null)
  #notice = $state<string | null>(null)
  #isBusy = $state(false)
  readonly generationForm = $state<GenerationForm>({
    label: '',
    engine: 'llamacpp',
    ggufPath: '',
    ollamaHost: 'http://127.0.0.1:11434',
    ollamaName: '',
    parentId: '',
  })
  readonly setsForm = $state<SetsForm>({
    probeSize: 20,
    referenceSize: 50,
    samplesPerPrompt: 4,
    maxTokens: 64,
    seed: 1,
  })
  readonly embeddingForm = $state<EmbeddingForm>({
    engine: 'none',
    host: 'http://127.0.0.1:11434',
    model: '',
  })
  /** Whether the person changed the embedding form; until then it follows the report's embedding model. */
  #isEmbeddingChosen = false
  exportFolder = $state('')
  readonly #api: MonitorApi
  readonly #projectId: string
  #reading: Promise<void> | null = null
  #isStale = false

  constructor(projectId: string, deps: { api?: MonitorApi } = {}) {
    this.#projectId = projectId
    this.#api = deps.api ?? defaultApi
  }

  get report(): CollapseReport | null {
    return this.#report
  }
  get error(): string | null {
    return this.#error
  }
  /** The last action's outcome in words (where the report files went, which job started). */
  get notice(): string | null {
    return this.#notice
  }
  get isBusy(): boolean {
    return this.#isBusy
  }

  /**
   * Re-reads the report. Calls while one is in flight (a busy import appends often) fold into one more read
   * after it, so there is never more than one request out and the last answer is the newest.
   */
  async refresh(): Promise<void> {
    if (this.#reading !== null) {
      this.#isStale = true
      return this.#reading
    }
    this.#reading = this.#read()
    try {
      await this.#reading
    } finally {
      this.#reading = null
    }
    if (this.#isStale) {
      this.#isStale = false
      await this.refresh()
    }
  }

  async #read(): Promise<void> {
    try {
      this.#report = await this.#api['monitor.report']({ projectId: this.#projectId })
      this.#followEmbeddingModel(this.#report)
    } catch (error) {
      this.#error = `Could not build the collapse report: ${errorText(error)}`
    }
  }

  /** Whether the form names what the chosen engine needs. */
  get canRegister(): boolean {
    const form = this.generationForm
    const runs = form.engine === 'llamacpp' ? form.ggufPath.trim() !== '' : form.ollamaName.trim() !== ''
    return form.label.trim() !== '' && runs
  }

  async registerGeneration(): Promise<void> {
    const form = this.generationForm
    const ggufPath = form.ggufPath.trim()
    await this.#act(async () => {
      const record = await this.#api['monitor.register']({
        projectId: this.#projectId,
        generation: {
          label: form.label.trim(),
          parentId: form.parentId === '' ? null : form.parentId,
          engine: form.engine,
          ggufPath: ggufPath === '' ? null : ggufPath,
          ollama:
            form.engine === 'ollama' ? { host: form.ollamaHost.trim(), name: form.ollamaName.trim() } : null,
          trainingSnapshotId: null,
        },
      })
      form.label = ''
      form.ggufPath = ''
      form.ollamaName = ''
      form.parentId = record.id
      return `Registered ${record.label} as generation ${record.generation}.`
    })
  }

  async freezeSets(): Promise<void> {
    const form = this.setsForm
    await this.#act(async () => {
      const sets = await this.#api['monitor.freezeSets']({
        projectId: this.#projectId,
        probeSize: form.probeSize,
        referenceSize: form.referenceSize,
        seed: form.seed,
        settings: {
          samplesPerPrompt: form.samplesPerPrompt,
          maxTokens: form.maxTokens,
          seed: form.seed,
          topLogprobs: 20,
        },
      })
      return `Froze ${sets.probeSampleIds.length} probe prompts and ${sets.referenceSampleIds.length} reference texts; exports will keep them out of training.`
    })
  }

  /** The next probe embeds with what the last one used, so generations stay comparable, until changed. */
  #followEmbeddingModel(report: CollapseReport): void {
    const model = report.embeddingModel
    if (this.#isEmbeddingChosen || model === null) return
    this.embeddingForm.engine = model.engine
    this.embeddingForm.model = model.model
    if (model.host !== null) this.embeddingForm.host = model.host
  }

  chooseEmbedding(change: Partial<EmbeddingForm>): void {
    this.#isEmbeddingChosen = true
    Object.assign(this.embeddingForm, change)
  }

  /** The embedding model the form names, or null for none (or a form not filled in). */
  get embeddingModel(): { engine: 'ollama' | 'llamacpp'; host: string | null; model: string } | null {
    const form = this.embeddingForm
    const model = form.model.trim()
    if (form.engine === 'none' || model === '') return null
    return { engine: form.engine, host: form.engine === 'ollama' ? form.host.trim() : null, model }
  }

  async probe(generationId: string, label: string): Promise<void> {
    const embedding = this.embeddingModel
    await this.#act(async () => {
      await this.#api['monitor.probe']({ projectId: this.#projectId, generationId, embedding })
      const how = embedding === null ? 'without embeddings' : `embedding with ${embedding.model}`
      return `Probing ${label} (${how}): follow it in Jobs; this report updates when it finishes.`
    })
  }

  async exportReport(): Promise<void> {
    const folder = this.exportFolder.trim()
    if (folder === '') {
      this.#error = 'Type the full path of the folder to write the report into.'
      return
    }
    await this.#act(async () => {
      const written = await this.#api['monitor.exportReport']({ projectId: this.#projectId, folder })
      return `Wrote ${written.htmlPath} and ${written.jsonPath}.`
    })
  }

  async #act(action: () => Promise<string>): Promise<void> {
    if (this.#isBusy) return
    this.#isBusy = true
    this.#error = null
    this.#notice = null
    try {
      this.#notice = await action()
      await this.refresh()
    } catch (error) {
      this.#error = errorText(error)
    } finally {
      this.#isBusy = false
    }
  }
}
