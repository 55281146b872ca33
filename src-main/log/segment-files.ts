// File-system steps of the log that must survive a crash at any instant: directory fsync, atomic
// replace (tmp, fsync, rename, fsync dir), moving damaged files aside (never deleting), and compressing
// a closed segment into a verified .gz before its plain copy goes.
import { createHash, randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { gzipChunks, plainChunks } from './line-reader'

export const DAMAGED_DIR = 'damaged'

/** Makes a create/rename/unlink inside `dir` durable. Windows cannot open a directory to fsync it. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * How appends to the open segment reach the disk. `isSynchronous`: each write returns once its bytes are
 * durable (O_DSYNC), so a flush is one system call on the thread pool instead of a write and then an fsync,
 * two hops of main's event loop on the path of a decision someone is waiting on. Where the platform has no
 * O_DSYNC (Windows), or a test watches the fsync, the bytes are written and then fsync'd. `fsync` also makes
 * a truncation durable, which O_DSYNC does not.
 */
export interface AppendDurability {
  isSynchronous: boolean
  fsync: (handle: FileHandle) => Promise<void>
}

export function appendDurability(fsync?: (handle: FileHandle) => Promise<void>): AppendDurability {
  const isSynchronous = fsync === undefined && constants.O_DSYNC !== undefined
  return { isSynchronous, fsync: fsync ?? ((handle) => handle.sync()) }
}

/** Opens a segment for appending, its writes durable on return when `durability` says so. */
export function openForAppend(path: string, durability: AppendDurability): Promise<FileHandle> {
  if (!durability.isSynchronous) return open(path, 'a')
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC)
}

export async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done)
    done += bytesWritten
  }
}

/** Writes `name` so that a crash leaves either the old file or the whole new one. */
export async function writeFileAtomic(dir: string, name: string, bytes: Buffer): Promise<void> {
  const tmp = join(dir, `${name}.tmp`)
  const handle = await open(tmp, 'w')
  try {
    await writeAll(handle, bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(tmp, join(dir, name))
  await fsyncDir(dir)
}

function asideName(name: string, suffix = ''): string {
  // A random tail, because rename() would silently replace an earlier casualty with the same stamp.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return `${name}${suffix}.${stamp}.${randomBytes(3).toString('hex')}`
}

async function damagedDir(dir: string): Promise<string> {
  const target = join(dir, DAMAGED_DIR)
  if ((await mkdir(target, { recursive: true })) !== undefined) await fsyncDir(dir)
  return target
}

/** Moves `name` into damaged/; returns its new path relative to `dir`. */
export async function moveAside(dir: string, name: string): Promise<string> {
  const target = await damagedDir(dir)
  const aside = asideName(name)
  await rename(join(dir, name), join(target, aside))
  await fsyncDir(target)
  await fsyncDir(dir)
  return `${DAMAGED_DIR}/${aside}`
}

/** Copies bytes [from, end) of a plain file into damaged/ before they are truncated away. */
export async function saveTail(dir: string, name: string, from: number): Promise<string> {
  const target = await damagedDir(dir)
  const aside = asideName(name, '.tail')
  const handle = await open(join(target, aside), 'wx')
  try {
    for await (const chunk of plainChunks(join(dir, name), from)) await writeAll(handle, chunk)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fsyncDir(target)
  return `${DAMAGED_DIR}/${aside}`
}

async function digest(chunks: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of chunks) hash.update(chunk)
  return hash.digest('hex')
}

/** True when the .gz decompresses to exactly the plain file; false when it is damaged or differs. */
export async function gzipMatchesPlain(plainPath: string, gzPath: string): Promise<boolean> {
  try {
    return (await digest(gzipChunks(gzPath))) === (await digest(plainChunks(plainPath)))
  } catch {
    return false
  }
}

/**
 * Writes `<base>.gz` from the plain segment: tmp, fsync, verify by decompressing, rename, fsync dir.
 * The caller removes the plain file afterwards; a crash anywhere leaves at least one whole copy.
 */
export async function compressSegment(dir: string, base: string): Promise<void> {
  const plainPath = join(dir, base)
  const gzPath = join(dir, `${base}.gz`)
  const tmpPath = `${gzPath}.tmp`
  const handle = await open(tmpPath, 'w')
  try {
    await pipeline(
      plainChunks(plainPath),
      createGzip({ level: 6 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) await writeAll(handle, chunk)
      },
    )
    await handle.sync()
  } finally {
    await handle.close()
  }
  if (!(await gzipMatchesPlain(plainPath, tmpPath))) {
    await unlink(tmpPath)
    throw new Error(`compressed copy of ${base} did not read back equal; plain file kept`)
  }
  await rename(tmpPath, gzPath)
  await fsyncDir(dir)
}
