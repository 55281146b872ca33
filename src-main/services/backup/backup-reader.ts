// Reads a backup folder: the manifest first, then every data file hashed against it (a damaged or edited
// file is refused by name before anything is created), then each file streamed line by line. Lines are
// split on raw bytes and decoded whole (strict UTF-8), so a character or a line end that straddles two
// reads comes out as written; the chunk size is a seam so tests can make every read straddle something.
import { createHash, type Hash } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import { splitLines } from '../../log/line-reader'
import {
  MANIFEST,
  backupFilesOf,
  backupManifest,
  type BackupFile,
  type BackupManifest,
} from './backup-format'

export const DEFAULT_CHUNK_BYTES = 256 * 1024

async function* fileChunks(path: string, chunkBytes: number, hash: Hash): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r')
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(chunkBytes)
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null)
      if (bytesRead === 0) return
      const chunk = buffer.subarray(0, bytesRead)
      hash.update(chunk)
      yield chunk
    }
  } finally {
    await handle.close()
  }
}

const damaged = (file: string, why: string): AppFailure =>
  new AppFailure(
    'conflict',
    `The backup's ${file} ${why}: it is damaged or was edited. Nothing was restored.`,
  )

export class BackupReader {
  private constructor(
    readonly dir: string,
    readonly manifest: BackupManifest,
    private readonly chunkBytes: number,
  ) {}

  /** Reads and checks the manifest, then hashes every data file against it. */
  static async open(dir: string, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<BackupReader> {
    if (!isAbsolute(dir))
      throw new AppFailure('invalid-payload', `The backup folder must be an absolute path.`)
    if (!(Number.isInteger(chunkBytes) && chunkBytes > 0)) throw new RangeError('chunkBytes must be > 0')
    const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => {
      throw new AppFailure(
        'not-found',
        `${dir} has no ${MANIFEST}: it is not a Winnow backup, or not a complete one.`,
      )
    })
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw damaged(MANIFEST, 'is not JSON')
    }
    const result = backupManifest.safeParse(parsed)
    if (!result.success)
      throw damaged(
        MANIFEST,
        `is not a backup manifest this version reads (${result.error.issues[0]?.message})`,
      )
    const manifest = result.data
    const listed = manifest.files.map((file) => file.path).sort()
    const expected = backupFilesOf(manifest.formatVersion)
    if (listed.join('\n') !== [...expected].sort().join('\n'))
      throw damaged(MANIFEST, `lists ${listed.join(', ')} instead of ${expected.join(', ')}`)
    const reader = new BackupReader(dir, manifest, chunkBytes)
    for (const file of expected) {
      const hash = createHash('sha256')
      let bytes = 0
      try {
        for await (const chunk of fileChunks(join(dir, file), chunkBytes, hash)) bytes += chunk.length
      } catch {
        throw damaged(file, 'cannot be read')
      }
      reader.check(file, hash.digest('hex'), bytes)
    }
    return reader
  }

  /**
   * Each line's text (decoded, without its newline) and its 1-based number. The file is hashed again as it
   * is read: one changed between the check at open and now is refused too, after its last line.
   */
  async *lines(file: BackupFile): AsyncGenerator<{ text: string; line: number }> {
    // A file added by a later format version is absent from an older backup: it has no rows.
    if (!backupFilesOf(this.manifest.formatVersion).includes(file)) return
    const hash = createHash('sha256')
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    let line = 0
    let bytes = 0
    for await (const piece of splitLines(fileChunks(join(this.dir, file), this.chunkBytes, hash))) {
      line++
      bytes += piece.bytes.length + (piece.complete ? 1 : 0)
      if (!piece.complete) throw damaged(file, `ends without a newline at line ${line}`)
      let text: string
      try {
        text = decoder.decode(piece.bytes)
      } catch {
        throw damaged(file, `has bytes that are not UTF-8 at line ${line}`)
      }
      yield { text, line }
    }
    this.check(file, hash.digest('hex'), bytes)
    const expected = this.entry(file).rows
    if (line !== expected) throw damaged(file, `has ${line} rows, not the ${expected} its manifest lists`)
  }

  private entry(file: BackupFile): BackupManifest['files'][number] {
    return this.manifest.files.find((entry) => entry.path === file)!
  }

  private check(file: BackupFile, sha256: string, bytes: number): void {
    const entry = this.entry(file)
    if (entry.sha256 !== sha256 || entry.bytes !== bytes)
      throw damaged(file, `does not match its SHA-256 in ${MANIFEST}`)
  }
}
