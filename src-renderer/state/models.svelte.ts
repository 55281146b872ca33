// The Ollama host and its models as the Models and Generate screens see them: the host (kept in
// localStorage), the person's yes to sending corpus text off this machine, status, installed models, and
// the pull job in flight. Main does the talking; this only asks and remembers the answers.
import type { Reply } from '@shared/ipc/contract'
import { api } from '../lib/api'
import { isHttpUrl, isLoopbackUrl } from './ollama-host'

export { isHttpUrl, isLoopbackUrl }

export type HostStatus = Reply<'models.status'>
export type InstalledModel = Reply<'models.list'>[number]
/** A GGUF file run by the embedded llama.cpp engine, as inspected when it was added. */
export type EmbeddedModel = Reply<'models.inspectGguf'>

export const defaultHost = 'http://127.0.0.1:11434'
const hostKey = 'winnow.ollamaHost'
const embeddedKey = 'winnow.embeddedModels'

function isEmbeddedModel(value: unknown): value is EmbeddedModel {
  if (typeof value !== 'object' || value === null) return false
  const model = value as Record<string, unknown>
  return typeof model['name'] === 'string' && typeof model['path'] === 'string'
}

function storedEmbedded(): EmbeddedModel[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(embeddedKey) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter(isEmbeddedModel) : []
  } catch {
    return []
  }
}

function storedHost(): string {
  try {
    return globalThis.localStorage?.getItem(hostKey) ?? defaultHost
  } catch {
    return defaultHost
  }
}

export class ModelsState {
  #host = $state(storedHost())
  #allowRemoteHost = $state(false)
  #status = $state.raw<HostStatus | null>(null)
  #models = $state.raw<InstalledModel[]>([])
  #error = $state<string | null>(null)
  #isLoading = $state(false)
  #pullJobId = $state<string | null>(null)
  #embedded = $state.raw<EmbeddedModel[]>(storedEmbedded())
  #generation = 0

  get host(): string {
    return this.#host
  }

  get isRemote(): boolean {
    return !isLoopbackUrl(this.#host)
  }

  get allowRemoteHost(): boolean {
    return this.#allowRemoteHost
  }

  /** Main refuses a remote host without the yes; so does this, before asking. */
  get canQuery(): boolean {
    return isHttpUrl(this.#host) && (!this.isRemote || this.#allowRemoteHost)
  }

  get status(): HostStatus | null {
    return this.#status
  }

  get models(): InstalledModel[] {
    return this.#models
  }

  get error(): string | null {
    return this.#error
  }

  get isLoading(): boolean {
    return this.#isLoading
  }

  get pullJobId(): string | null {
    return this.#pullJobId
  }

  /** Embedded (llama.cpp) model files, kept in localStorage. */
  get embedded(): EmbeddedModel[] {
    return this.#embedded
  }

  /** Main loads the file and reads its metadata; a failure (no such file, not a GGUF) is thrown. */
  async addEmbedded(path: string): Promise<EmbeddedModel> {
    const info = await api['models.inspectGguf']({ path: path.trim() })
    this.#setEmbedded([...this.#embedded.filter((model) => model.name !== info.name), info])
    return info
  }

  removeEmbedded(name: string): void {
    this.#setEmbedded(this.#embedded.filter((model) => model.name !== name))
  }

  #setEmbedded(models: EmbeddedModel[]): void {
    this.#embedded = models
    try {
      globalThis.localStorage?.setItem(embeddedKey, JSON.stringify(models))
    } catch {
      // Storage refused: the list still applies for this session.
    }
  }

  setHost(host: string): void {
    const trimmed = host.trim().replace(/\/+$/, '')
    if (trimmed === this.#host) return
    this.#host = trimmed
    this.#allowRemoteHost = false
    this.#status = null
    this.#models = []
    try {
      globalThis.localStorage?.setItem(hostKey, trimmed)
    } catch {
      // Storage refused (private mode, quota): the host still applies for this session.
    }
  }

  setAllowRemoteHost(isAllowed: boolean): void {
    this.#allowRemoteHost = isAllowed
  }

  /** Status first; the list only when the host answered. */
  async refresh(): Promise<void> {
    if (!this.canQuery) return
    const generation = ++this.#generation
    const request = { host: this.#host, allowRemoteHost: this.#allowRemoteHost }
    this.#isLoading = true
    try {
      const status = await api['models.status'](request)
      const models = status.reachable ? await api['models.list'](request) : []
      if (generation !== this.#generation) return
      this.#status = status
      this.#models = models
      this.#error = null
    } catch (error) {
      if (generation !== this.#generation) return
      this.#error = error instanceof Error ? error.message : String(error)
    } finally {
      if (generation === this.#generation) this.#isLoading = false
    }
  }

  async pull(projectId: string, name: string): Promise<void> {
    const { jobId } = await api['models.pull']({
      projectId,
      host: this.#host,
      name,
      allowRemoteHost: this.#allowRemoteHost,
    })
    this.#pullJobId = jobId
  }

  async remove(name: string): Promise<void> {
    await api['models.delete']({ host: this.#host, name, allowRemoteHost: this.#allowRemoteHost })
    this.#models = this.#models.filter((model) => model.name !== name)
    await this.refresh()
  }
}
