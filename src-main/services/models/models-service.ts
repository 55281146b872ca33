// Managing the models of an Ollama host: is it up, what is installed, pull (a job) and delete. A host that
// is not this machine is only contacted when the request says so, as for generation.
import { AppFailure } from '@shared/ipc/result'
import { GenerationError, type ModelInfo } from '../../engines/engine'
import type { OllamaEngine } from '../../engines/ollama/ollama-engine'
import type { JobRunner } from '../jobs/job-runner'
import { isLoopbackHost } from '../generation/loopback-host'
import type { PullParams } from './pull-job'

export interface HostStatus {
  reachable: boolean
  version: string | null
  message: string | null
}

const STATUS_TIMEOUT_MS = 5_000

export const notRunningMessage = (host: string): string =>
  `Ollama is not running at ${host}: start it with \`ollama serve\`.`

export class ModelsService {
  readonly #engineForHost: (host: string) => OllamaEngine
  readonly #jobs: JobRunner

  constructor(engineForHost: (host: string) => OllamaEngine, jobs: JobRunner) {
    this.#engineForHost = engineForHost
    this.#jobs = jobs
  }

  /** Never throws for a host that is down or odd: the answer says what is wrong and what to do. */
  async status(host: string, allowRemoteHost: boolean): Promise<HostStatus> {
    const engine = this.#engine(host, allowRemoteHost)
    try {
      const version = await engine.version(AbortSignal.timeout(STATUS_TIMEOUT_MS))
      return { reachable: true, version, message: null }
    } catch (error) {
      return { reachable: false, version: null, message: describeDown(engine.host, error) }
    }
  }

  async list(host: string, allowRemoteHost: boolean): Promise<ModelInfo[]> {
    const engine = this.#engine(host, allowRemoteHost)
    try {
      const models = await engine.listModels()
      return models.sort((a, b) => a.name.localeCompare(b.name))
    } catch (error) {
      throw asFailure(engine.host, error)
    }
  }

  /**
   * Pulling is app-wide, but jobs belong to a project: the pull job is attached to the project open when it
   * was asked for, so it reuses the runner (progress, cancel, resume) and shows in that project's jobs.
   */
  async pull(projectId: string, host: string, name: string, allowRemoteHost: boolean): Promise<string> {
    const engine = this.#engine(host, allowRemoteHost)
    const params: PullParams = { host: engine.host, name }
    const job = await this.#jobs.start(projectId, 'pull', `Pull ${name}`, params)
    return job.id
  }

  async remove(host: string, name: string, allowRemoteHost: boolean): Promise<void> {
    const engine = this.#engine(host, allowRemoteHost)
    try {
      await engine.remove(name)
    } catch (error) {
      if (error instanceof GenerationError && error.kind === 'not-found')
        throw new AppFailure('not-found', `${name} is not installed at ${engine.host}.`)
      throw asFailure(engine.host, error)
    }
  }

  #engine(host: string, allowRemoteHost: boolean): OllamaEngine {
    if (!isLoopbackHost(host) && !allowRemoteHost)
      throw new AppFailure(
        'forbidden',
        `${host} is not this machine: corpus text would leave it. Confirm sending it there first.`,
      )
    return this.#engineForHost(host)
  }
}

function describeDown(host: string, error: unknown): string {
  if (error instanceof GenerationError && error.kind === 'refused') return notRunningMessage(host)
  if (error instanceof GenerationError && error.kind === 'aborted')
    return `Ollama at ${host} did not answer within ${STATUS_TIMEOUT_MS / 1000} s: is it busy, or is the address right?`
  const detail = error instanceof Error ? error.message : String(error)
  return `Ollama at ${host} did not answer as expected (${detail}): check the address.`
}

function asFailure(host: string, error: unknown): AppFailure {
  if (error instanceof GenerationError && error.kind === 'refused')
    return new AppFailure('unavailable', notRunningMessage(host))
  const detail = error instanceof Error ? error.message : String(error)
  return new AppFailure('unavailable', `Ollama at ${host} failed: ${detail}`)
}
