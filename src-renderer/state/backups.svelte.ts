// Backing a project up and restoring one, as the Projects screen's dialogs ask for them: main writes and
// checks the files (backup.create, backup.restore); this holds the typed choices' checks, whether a request
// is under way, its answer, and what went wrong with what to do about it. One instance per dialog.
import type { Api, Reply } from '@shared/ipc/contract'
import { api as defaultApi } from '../lib/api'

export type BackupResult = Reply<'backup.create'>
export type RestoreResult = Reply<'backup.restore'>
type BackupApi = Pick<Api, 'backup.create' | 'backup.restore'>

/** Main refuses relative folders (they would depend on where Winnow was started); say so before asking. */
export function folderProblem(folder: string): string | null {
  if (folder === '') return 'Type the path of a folder, e.g. /home/you/backups.'
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(folder))
    return 'Type the full path of the folder, starting with / (or a drive letter such as C:\\ on Windows).'
  return null
}

class Request<T> {
  #isBusy = $state(false)
  #result = $state.raw<T | null>(null)
  #error = $state<string | null>(null)

  get isBusy(): boolean {
    return this.#isBusy
  }
  get result(): T | null {
    return this.#result
  }
  get error(): string | null {
    return this.#error
  }

  fail(message: string): void {
    this.#error = message
  }

  /** Runs one request at a time; the answer, or null with the error set (`advice` says what to do). */
  async run(ask: () => Promise<T>, advice: string): Promise<T | null> {
    if (this.#isBusy) return null
    this.#isBusy = true
    this.#error = null
    this.#result = null
    try {
      this.#result = await ask()
      return this.#result
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.#error = `${/[.!?]$/.test(message) ? message : `${message}.`} ${advice}`
      return null
    } finally {
      this.#isBusy = false
    }
  }
}

export class BackupRequest extends Request<BackupResult> {
  constructor(private readonly api: BackupApi = defaultApi) {
    super()
  }

  async backUp(projectId: string, folder: string): Promise<BackupResult | null> {
    const trimmed = folder.trim()
    const problem = folderProblem(trimmed)
    if (problem !== null) {
      this.fail(problem)
      return null
    }
    return this.run(
      () => this.api['backup.create']({ projectId, folder: trimmed }),
      'Check that the folder exists and that Winnow may write to it, then try again.',
    )
  }
}

export class RestoreRequest extends Request<RestoreResult> {
  constructor(private readonly api: BackupApi = defaultApi) {
    super()
  }

  async restore(folder: string, name: string): Promise<RestoreResult | null> {
    const trimmedFolder = folder.trim()
    const trimmedName = name.trim()
    const problem = folderProblem(trimmedFolder)
    if (problem !== null) {
      this.fail(problem)
      return null
    }
    if (trimmedName === '') {
      this.fail('Give the restored project a name (it becomes a new project beside the others).')
      return null
    }
    return this.run(
      () => this.api['backup.restore']({ folder: trimmedFolder, name: trimmedName }),
      'Choose the backup folder itself (the one holding manifest.json, named “<project> backup <date>”); a damaged backup cannot be restored, so use another copy of it.',
    )
  }
}
