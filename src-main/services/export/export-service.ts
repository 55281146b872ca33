// Writing an export the renderer assembles: it reads the rows from its store, selects and formats them
// (pure code in src-shared/export), and streams the lines here; main owns the files. An export is open →
// write… → finish (or abort): finish closes every file, writes the manifest last, and records the frozen
// snapshot in the project log. An export left idle (the window closed mid-way) is abandoned and its
// temporary files removed, so no half export ever carries a manifest.
import { AppFailure } from '@shared/ipc/result'
import { canonicalJson } from '@shared/domain/canonical-json'
import { sha256Hex } from '@shared/domain/sha256'
import { uuidv7 } from '@shared/ids/uuidv7'
import type { DatasetSnapshot, SnapshotDraft, WrittenFile } from '@shared/domain/dataset-snapshot'
import type { ProjectRegistry } from '../projects/project-registry'
import { DatasetFolder, removeEmptyFolders, type FileSink } from './dataset-folder'
import { parquetColumnsOf, writeHuggingFaceFolder, type HuggingFaceChoice } from './hf-folder'

export const MANIFEST_FILE = 'manifest.json'

interface OpenExport {
  projectId: string
  folder: DatasetFolder
  files: Map<string, FileSink>
  /** One write or finish at a time: the renderer awaits each, but a retry must not interleave. */
  queue: Promise<unknown>
  idleTimer: ReturnType<typeof setTimeout>
}

export interface ExportServiceOptions {
  appVersion: string
  schemaVersion: number
  /** An export with no call for this long is abandoned. */
  idleMs?: number
}

export class ExportService {
  readonly #open = new Map<string, OpenExport>()

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly options: ExportServiceOptions,
  ) {}

  async open(
    projectId: string,
    parent: string,
    name: string,
  ): Promise<{ exportId: string; folder: string; name: string }> {
    await this.registry.state(projectId) // the project must exist before anything is created on disk
    const folder = await DatasetFolder.create(parent, name).catch((error: unknown) => {
      throw new AppFailure('invalid-payload', error instanceof Error ? error.message : String(error))
    })
    const exportId = uuidv7()
    this.#open.set(exportId, {
      projectId,
      folder,
      files: new Map(),
      queue: Promise.resolve(),
      idleTimer: this.#idleTimer(exportId),
    })
    return { exportId, folder: folder.dir, name: folder.name }
  }

  /** Appends text to one of the export's files (opened on its first write). */
  write(exportId: string, file: string, text: string): Promise<{ bytes: number }> {
    return this.#serial(exportId, async (open) => {
      let sink = open.files.get(file)
      if (!sink) {
        if (file === MANIFEST_FILE)
          throw new AppFailure('invalid-payload', 'The manifest is written by finish.')
        sink = await open.folder.openFile(file)
        open.files.set(file, sink)
      }
      await sink.write(text)
      return { bytes: Buffer.byteLength(text, 'utf8') }
    })
  }

  /** Closes every file, writes the small ones whole, then the manifest, then records the snapshot. */
  finish(
    exportId: string,
    draft: SnapshotDraft,
    extraFiles: Record<string, string>,
    dropLines: Record<string, string> = {},
    huggingFace: HuggingFaceChoice | null = null,
  ): Promise<{ snapshot: DatasetSnapshot; manifest: WrittenFile }> {
    return this.#serial(exportId, async (open) => {
      const parquet = huggingFace === null ? null : parquetColumnsOf(huggingFace, draft)
      if (parquet !== null && 'problem' in parquet) throw new AppFailure('invalid-payload', parquet.problem)
      for (const file of Object.keys(dropLines))
        if (!open.files.has(file))
          throw new AppFailure(
            'invalid-payload',
            `Rows were dropped from ${file}, which this export never wrote.`,
          )
      const files: WrittenFile[] = []
      for (const [path, sink] of open.files) {
        const drops = dropLines[path]
        const written = drops === undefined ? await sink.close() : await sink.closeWithout(lineNumbers(drops))
        if (written !== null) files.push(written)
      }
      open.files.clear()
      for (const [path, content] of Object.entries(extraFiles))
        files.push(await open.folder.writeWhole(path, content))
      // From the closed files: exactly the rows kept, in the order written.
      if (huggingFace !== null)
        files.push(...(await writeHuggingFaceFolder(open.folder, huggingFace, draft, [...files])))
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      const snapshot: DatasetSnapshot = {
        ...draft,
        id: exportId,
        projectId: open.projectId,
        createdAt: new Date().toISOString(),
        appVersion: this.options.appVersion,
        schemaVersion: this.options.schemaVersion,
        folder: open.folder.dir,
        files,
        contentHash: contentHash(draft.splits, files),
      }
      const manifest = await open.folder.writeWhole(MANIFEST_FILE, `${JSON.stringify(snapshot, null, 2)}\n`)
      await this.registry.append(open.projectId, [{ kind: 'dataset.exported', data: { snapshot } }])
      this.#close(exportId)
      return { snapshot, manifest }
    })
  }

  /** Drops every temporary file and the folder if it is left empty; a finished file stays (it is whole). */
  async abort(exportId: string): Promise<Record<string, never>> {
    const open = this.#open.get(exportId)
    if (!open) return {}
    this.#close(exportId)
    await open.queue.catch(() => undefined)
    await Promise.all([...open.files.values()].map((sink) => sink.abort()))
    await removeEmptyFolders(open.folder.dir) // only what is empty: never deletes data
    return {}
  }

  async close(): Promise<void> {
    await Promise.all([...this.#open.keys()].map((id) => this.abort(id)))
  }

  #serial<T>(exportId: string, work: (open: OpenExport) => Promise<T>): Promise<T> {
    const open = this.#open.get(exportId)
    if (!open)
      return Promise.reject(
        new AppFailure(
          'not-found',
          'This export is no longer open (finished, cancelled or idle too long): start it again.',
        ),
      )
    clearTimeout(open.idleTimer)
    open.idleTimer = this.#idleTimer(exportId)
    const next = open.queue.then(() => work(open))
    open.queue = next.catch(() => undefined)
    return next
  }

  #idleTimer(exportId: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => void this.abort(exportId), this.options.idleMs ?? 5 * 60_000)
    timer.unref?.()
    return timer
  }

  #close(exportId: string): void {
    const open = this.#open.get(exportId)
    if (open) clearTimeout(open.idleTimer)
    this.#open.delete(exportId)
  }
}

/** Base64 of little-endian 32-bit line numbers, strictly ascending (the renderer's drop list for a file). */
function lineNumbers(base64: string): Uint32Array {
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.length % 4 !== 0)
    throw new AppFailure('invalid-payload', 'A drop list must hold whole 32-bit numbers.')
  const lines = new Uint32Array(bytes.length / 4)
  for (let i = 0; i < lines.length; i++) {
    lines[i] = bytes.readUInt32LE(i * 4)
    if (i > 0 && lines[i]! <= lines[i - 1]!)
      throw new AppFailure('invalid-payload', 'A drop list must be in ascending order without repeats.')
  }
  return lines
}

/** Equal splits and equal file hashes give equal content hashes, whatever the folder or the time. */
export function contentHash(splits: SnapshotDraft['splits'], files: WrittenFile[]): string {
  return sha256Hex(canonicalJson({ splits, files: files.map(({ path, sha256 }) => ({ path, sha256 })) }))
}
