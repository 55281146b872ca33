// manifest.json: the log's identity (logId) and on-disk format version. Replaced only atomically; if it
// is lost or unreadable it is rebuilt from the first segment's header, which repeats the logId.
import { randomUUID } from 'node:crypto'
import { readFile, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipChunks, plainChunks, splitLines } from './line-reader'
import { moveAside, writeFileAtomic } from './segment-files'
import { LOG_FORMAT, LOG_FORMAT_VERSION, headerLogId, parseSegmentBase } from './segment-format'

export const MANIFEST = 'manifest.json'

export interface Manifest {
  logId: string
  /** Paths (relative to the log folder) of an unreadable manifest moved into damaged/. */
  movedAside: string[]
}

type ManifestRead = { logId: string } | 'missing' | 'unreadable'

async function readManifest(dir: string): Promise<ManifestRead> {
  let text: string
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'unreadable'
  }
  if (typeof parsed !== 'object' || parsed === null) return 'unreadable'
  const { format, version, logId } = parsed as Record<string, unknown>
  if (format !== LOG_FORMAT || typeof logId !== 'string' || typeof version !== 'number') return 'unreadable'
  if (version > LOG_FORMAT_VERSION) {
    // Opening a newer format read-write could corrupt it; refuse instead (the app can offer read-only).
    throw new Error(`project log format ${version} is newer than this app supports (${LOG_FORMAT_VERSION})`)
  }
  return { logId }
}

async function logIdFromSegments(dir: string): Promise<string | null> {
  const names = (await readdir(dir)).filter((n) => parseSegmentBase(n.replace(/\.gz$/, '')) !== null).sort()
  const first = names[0]
  if (first === undefined) return null
  const path = join(dir, first)
  try {
    for await (const line of splitLines(first.endsWith('.gz') ? gzipChunks(path) : plainChunks(path))) {
      return headerLogId(line.bytes)
    }
  } catch {
    // An unreadable first segment is dealt with by recovery; here it just cannot name the log.
  }
  return null
}

export async function loadOrCreateManifest(dir: string): Promise<Manifest> {
  // A leftover .tmp is an unfinished replacement; the real manifest (or its absence) is authoritative.
  await unlink(join(dir, `${MANIFEST}.tmp`)).catch(() => undefined)
  const found = await readManifest(dir)
  if (typeof found === 'object') return { logId: found.logId, movedAside: [] }
  const movedAside = found === 'unreadable' ? [await moveAside(dir, MANIFEST)] : []
  const logId = (await logIdFromSegments(dir)) ?? randomUUID()
  const manifest = {
    format: LOG_FORMAT,
    version: LOG_FORMAT_VERSION,
    logId,
    createdAt: new Date().toISOString(),
  }
  await writeFileAtomic(dir, MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`))
  return { logId, movedAside }
}
