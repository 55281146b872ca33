// Where an export's files go: a new folder inside the one the person chose, never anything outside it.
// Each file is streamed to a temporary name (hashed and counted as it is written), fsync'd and renamed into
// place, so a crash leaves no half-written data file under a final name; the manifest is written last,
// so a folder with a manifest is a complete export. Existing files and folders are never overwritten.
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { mkdir, open, readdir, realpath, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises'
import { join, relative, resolve, sep, isAbsolute } from 'node:path'
import { sanitiseFileName } from '@shared/export/file-names'
import { fsyncDir, writeFileAtomic } from '../../fs/atomic-write'

/** One finished file, as the manifest lists it. */
export interface WrittenFile {
  /** Relative to the dataset folder, `/`-separated. */
  path: string
  bytes: number
  lines: number
  sha256: string
}

export interface FileSink {
  /** Resolves when the text is handed to the file system: await it, that is the backpressure. */
  write(text: string | Uint8Array): Promise<void>
  /** fsync, rename into place, fsync the folder; resolves with the file's size, line count and hash. */
  close(): Promise<WrittenFile>
  /**
   * Like close, without the given lines (0-based, ascending): the file is copied without them into a new
   * temporary file, which is then closed the same way. Resolves null when no line is left: no file at all.
   */
  closeWithout(dropLines: Uint32Array): Promise<WrittenFile | null>
  /** Drops the temporary file (on cancel or failure); the final name is never created. */
  abort(): Promise<void>
}

// Coalesce small writes: a write call per JSONL line would cost a syscall per line.
const FLUSH_BYTES = 256 * 1024

export class DatasetFolder {
  private constructor(
    /** Real path of the new folder. */
    readonly dir: string,
    /** The folder's own name, as created (sanitised, made unique). */
    readonly name: string,
  ) {}

  /** Creates `parent/<name>` (or `<name> (2)`, …): the parent must exist and be a folder. */
  static async create(parent: string, name: string): Promise<DatasetFolder> {
    if (!isAbsolute(parent)) throw new Error(`the export folder must be an absolute path, got "${parent}"`)
    const base = await realpath(parent).catch(() => {
      throw new Error(`the export folder ${parent} does not exist: choose an existing folder`)
    })
    if (!(await stat(base)).isDirectory()) throw new Error(`${parent} is not a folder: choose a folder`)
    const safe = sanitiseFileName(name)
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? safe : `${safe} (${n})`
      try {
        await mkdir(join(base, candidate)) // not recursive: fails if it exists, never reuses a folder
        await fsyncDir(base)
        return new DatasetFolder(join(base, candidate), candidate)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
    throw new Error(`could not find a free folder name for "${safe}" in ${parent}`)
  }

  /** A path inside the folder from `/`-separated, individually sanitised segments. */
  resolveInside(relativePath: string): { path: string; rel: string } {
    const segments = relativePath.split('/').map((segment) => sanitiseFileName(segment, 'file'))
    const path = resolve(this.dir, ...segments)
    const rel = relative(this.dir, path)
    // Sanitising already forbids separators and dot-segments; this is the belt to those braces.
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`refusing to write outside ${this.dir}`)
    return { path, rel: rel.split(sep).join('/') }
  }

  async openFile(relativePath: string): Promise<FileSink> {
    const { path, rel } = this.resolveInside(relativePath)
    const folder = resolve(path, '..')
    await mkdir(folder, { recursive: true })
    return StreamingFile.create(path, rel, folder)
  }

  /** A small file written whole and atomically (the manifest, a dataset card, dataset_info.json). */
  async writeWhole(relativePath: string, content: string): Promise<WrittenFile> {
    const { path, rel } = this.resolveInside(relativePath)
    await mkdir(resolve(path, '..'), { recursive: true })
    if (await exists(path)) throw new Error(`${rel} already exists in ${this.dir}; nothing is overwritten`)
    const bytes = Buffer.from(content, 'utf8')
    await writeFileAtomic(path, bytes)
    return {
      path: rel,
      bytes: bytes.length,
      lines: countNewlines(bytes),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    }
  }
}

/**
 * Removes `dir` and the folders inside it that hold no files, deepest first: what a cancelled export leaves
 * (the folders its files were opened in). rmdir refuses a folder with anything in it, so no file is lost.
 */
export async function removeEmptyFolders(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) if (entry.isDirectory()) await removeEmptyFolders(join(dir, entry.name))
  await rmdir(dir).catch(() => undefined)
}

class StreamingFile implements FileSink {
  static async create(path: string, rel: string, folder: string): Promise<StreamingFile> {
    const temp = join(folder, `.${randomBytes(6).toString('hex')}.partial`)
    // 'wx+': a fresh temporary file, never one that was already there; readable, for closeWithout.
    const handle = await open(temp, 'wx+')
    return new StreamingFile(handle, temp, path, rel, folder)
  }

  private readonly hash: Hash = createHash('sha256')
  private buffered: Buffer[] = []
  private bufferedBytes = 0
  private bytes = 0
  private lines = 0
  private isDone = false

  constructor(
    private readonly handle: FileHandle,
    private readonly temp: string,
    private readonly path: string,
    private readonly rel: string,
    private readonly folder: string,
  ) {}

  async write(text: string | Uint8Array): Promise<void> {
    if (this.isDone) throw new Error(`${this.rel} is already closed`)
    const chunk = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text)
    this.hash.update(chunk)
    this.bytes += chunk.length
    this.lines += countNewlines(chunk)
    this.buffered.push(chunk)
    this.bufferedBytes += chunk.length
    if (this.bufferedBytes >= FLUSH_BYTES) await this.flush()
  }

  async close(): Promise<WrittenFile> {
    if (this.isDone) throw new Error(`${this.rel} is already closed`)
    this.isDone = true
    try {
      await this.flush()
      await this.handle.sync()
      await this.handle.close()
      if (await exists(this.path)) throw new Error(`${this.rel} already exists; nothing is overwritten`)
      await rename(this.temp, this.path)
      await fsyncDir(this.folder)
    } catch (error) {
      await this.handle.close().catch(() => undefined)
      await rm(this.temp, { force: true })
      throw error
    }
    return { path: this.rel, bytes: this.bytes, lines: this.lines, sha256: this.hash.digest('hex') }
  }

  async closeWithout(dropLines: Uint32Array): Promise<WrittenFile | null> {
    if (dropLines.length === 0) return this.close()
    if (this.isDone) throw new Error(`${this.rel} is already closed`)
    this.isDone = true
    const copy = await StreamingFile.create(this.path, this.rel, this.folder)
    try {
      await this.flush()
      await copyLinesWithout(this.handle, this.bytes, dropLines, copy)
      await this.handle.close()
      await rm(this.temp, { force: true })
      return copy.lines === 0 ? (await copy.abort(), null) : await copy.close()
    } catch (error) {
      await this.handle.close().catch(() => undefined)
      await rm(this.temp, { force: true })
      await copy.abort()
      throw error
    }
  }

  async abort(): Promise<void> {
    this.isDone = true
    await this.handle.close().catch(() => undefined)
    await rm(this.temp, { force: true })
  }

  private async flush(): Promise<void> {
    if (this.bufferedBytes === 0) return
    const data = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
    this.buffered = []
    this.bufferedBytes = 0
    for (let offset = 0; offset < data.length;) {
      const { bytesWritten } = await this.handle.write(data, offset)
      offset += bytesWritten
    }
  }
}

const COPY_CHUNK = 4 * 1024 * 1024

/** Streams `bytes` bytes of `source` into `target` in file order, leaving out the listed lines. */
async function copyLinesWithout(
  source: FileHandle,
  bytes: number,
  dropLines: Uint32Array,
  target: FileSink,
): Promise<void> {
  const chunk = Buffer.allocUnsafe(COPY_CHUNK)
  let line = 0
  let nextDrop = 0
  let carry: Buffer[] = [] // the start of a line that runs past the chunk read so far
  for (let position = 0; position < bytes;) {
    const { bytesRead } = await source.read(chunk, 0, Math.min(COPY_CHUNK, bytes - position), position)
    if (bytesRead === 0) throw new Error('the export file ended early while leaving out dropped rows')
    position += bytesRead
    const data = chunk.subarray(0, bytesRead)
    let keepFrom = 0 // start of the run of kept bytes in this chunk
    let lineStart = 0
    for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, at + 1)) {
      const isDropped = nextDrop < dropLines.length && dropLines[nextDrop] === line
      if (isDropped) {
        if (lineStart > keepFrom) await target.write(data.subarray(keepFrom, lineStart))
        carry = [] // a dropped line that began in an earlier chunk goes with its start
        keepFrom = at + 1
        nextDrop++
      } else if (carry.length > 0) {
        // The first line of this chunk began earlier and is kept: its start goes out before the run.
        for (const piece of carry) await target.write(piece)
        carry = []
      }
      line++
      lineStart = at + 1
    }
    // Lines before lineStart are settled; the kept run [keepFrom, lineStart) goes out now, the unfinished
    // line [lineStart, end) waits until its newline says whether it is dropped.
    if (lineStart > keepFrom) await target.write(data.subarray(keepFrom, lineStart))
    if (lineStart < data.length) carry.push(Buffer.from(data.subarray(lineStart)))
  }
  for (const piece of carry) await target.write(piece)
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++
  return count
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
