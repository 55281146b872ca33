// Moving an unopenable IndexedDB store aside, never deleting it. The folder cannot be renamed while
// Chromium holds it open, so the request is a marker file and the move happens at the next start, before the
// window (and so the store) is opened. The projection is then rebuilt from the project logs.
import { readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../fs/atomic-write'

const markerName = 'move-store-aside.json'
const storeFolderName = 'IndexedDB'

export async function requestStoreMoveAside(profileDir: string, reason: string): Promise<void> {
  await writeFileAtomic(
    join(profileDir, markerName),
    JSON.stringify({ reason, requestedAt: new Date().toISOString() }),
  )
}

/** At start-up: answers where the store was moved, or null when no move was requested (or nothing was there). */
export async function moveStoreAsideIfRequested(
  profileDir: string,
  now = new Date(),
): Promise<string | null> {
  const marker = join(profileDir, markerName)
  const requested = await readFile(marker, 'utf8').then(
    () => true,
    () => false,
  )
  if (!requested) return null
  const store = join(profileDir, storeFolderName)
  const exists = await stat(store).then(
    () => true,
    () => false,
  )
  let movedTo: string | null = null
  if (exists) {
    movedTo = join(profileDir, `${storeFolderName}.moved-aside-${now.toISOString().replace(/[:.]/g, '-')}`)
    await rename(store, movedTo)
  }
  await rm(marker, { force: true })
  return movedTo
}
