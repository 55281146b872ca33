// The prompt templates the app offers: the shipped defaults, each with its version hash. Read once and
// cached; a broken default throws (a packaging bug), which the IPC layer answers as an internal error.
import { templateHash, type PromptTemplate } from '@shared/domain/prompt-template'
import { loadDefaultTemplates } from './default-templates'

export interface ListedTemplate {
  template: PromptTemplate
  hash: string
}

export class TemplatesService {
  #defaults: Promise<ListedTemplate[]> | null = null
  readonly #resourcesDir: () => string

  /** resourcesDir is resolved lazily, so a missing folder fails the call rather than start-up. */
  constructor(resourcesDir: () => string) {
    this.#resourcesDir = resourcesDir
  }

  list(): Promise<ListedTemplate[]> {
    this.#defaults ??= this.#load().catch((error: unknown) => {
      this.#defaults = null
      throw error
    })
    return this.#defaults
  }

  async #load(): Promise<ListedTemplate[]> {
    const templates = await loadDefaultTemplates(this.#resourcesDir())
    return templates.map((template) => ({ template, hash: templateHash(template) }))
  }
}
