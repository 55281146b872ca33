// Finds the folder of shipped resources (templates, recipes): the checkout's resources/ when running from
// out/main (electron-vite) or src-main (tsx, tests), else Electron's process.resourcesPath when packaged.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

const hasTemplates = (dir: string): boolean => existsSync(join(dir, 'templates'))

/** Walks up from `start` to a folder holding resources/templates; throws naming where it looked. */
export function findResourcesDir(start: string = import.meta.dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (hasTemplates(join(dir, 'resources'))) return join(dir, 'resources')
    if (dirname(dir) === dir) break
  }
  // Electron adds resourcesPath to process; plain Node has none. Packaged builds copy templates there.
  const packaged = (process as { resourcesPath?: unknown }).resourcesPath
  if (typeof packaged === 'string' && hasTemplates(packaged)) return packaged
  throw new Error(`No resources/templates folder above ${start} or in the app's resources folder`)
}
