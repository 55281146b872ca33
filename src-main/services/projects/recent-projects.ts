// When each project was last opened: app preference, not provenance, so it lives in a small JSON file
// written atomically rather than in any project's log.
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../../fs/atomic-write'

export class RecentProjects {
  readonly #path: string
  #entries: Record<string, string> | null = null

  constructor(path: string) {
    this.#path = path
  }

  lastOpened(projectId: string): string | null {
    return this.#entries?.[projectId] ?? null
  }

  async touch(projectId: string): Promise<void> {
    const entries = await this.load()
    entries[projectId] = new Date().toISOString()
    await writeFileAtomic(this.#path, JSON.stringify(entries))
  }

  async forget(projectId: string): Promise<void> {
    const entries = await this.load()
    delete entries[projectId]
    await writeFileAtomic(this.#path, JSON.stringify(entries))
  }

  async load(): Promise<Record<string, string>> {
    if (this.#entries) return this.#entries
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#path, 'utf8'))
      this.#entries = parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
    } catch {
      this.#entries = {}
    }
    return this.#entries
  }
}
