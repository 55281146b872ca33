// Bar 6: the store is rebuildable. Import 10,000 samples, close the app, wipe Chromium's IndexedDB — by the
// deterministic recipe (7 bytes appended to the LevelDB .log, start, stop, start) and by deleting the
// profile's IndexedDB folder — and on the next start the app says so and every sample is back, same hashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assertPrerequisites, cleanup, freePort, openApp, startHost, tempDir, type Host } from './harness'
import {
  browseCount,
  createProject,
  importFile,
  openProject,
  storedHashes,
  waitForSyncIdle,
} from './app-driver'
import { writeDamagedJsonl } from '../factories/corpus-files'

const project = 'Rebuild bar'

/**
 * Seven bytes that LevelDB's log reader takes for a complete record header (CRC, length 0, type "full")
 * whose checksum does not match: a corruption it reports, not a torn tail it forgives. Chromium then
 * discards the origin's IndexedDB. Arbitrary text would read as a record longer than the file, which
 * LevelDB treats as a writer that died mid-record and silently ignores.
 */
const walRecordWithBadChecksum = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01])

describe('rebuilding the store from the project log', () => {
  let work: string
  let port: number
  let host: Host
  let originalHashes: string[]

  const profile = (): string => join(work, 'profile')
  const indexedDbDir = (): string => join(profile(), 'Default', 'IndexedDB')

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-rebuild')
    port = await freePort()
    // 10,000 good lines: no damage this time.
    const corpus = await writeDamagedJsonl(join(work, 'corpus.jsonl'), 10_000, 0)
    host = await startHost(join(work, 'data'), port)
    const app = await openApp(profile(), host.url)
    await createProject(app.page, project)
    const summary = await importFile(app.page, corpus.path, { textField: 'text', idField: 'id' })
    expect(summary.imported).toBe(10_000)
    expect(await browseCount(app.page, 10_000)).toBe(10_000)
    originalHashes = await storedHashes(app.page)
    expect(originalHashes).toHaveLength(10_000)
    await app.close()
    await host.stop()
  })

  afterAll(async () => {
    await host?.stop()
    await cleanup(work)
  })

  /** One start of the app: open the project, wait until it shows every sample, report what it said. */
  async function startAndCheck(): Promise<{ notice: string | null; count: number; hashes: string[] }> {
    host = await startHost(join(work, 'data'), port)
    const app = await openApp(profile(), host.url)
    try {
      await openProject(app.page, project)
      const count = await browseCount(app.page, 10_000)
      await waitForSyncIdle(app.page)
      const notice = app.page.getByTestId('notice')
      const shown = (await notice.count()) > 0 ? await notice.first().textContent() : null
      return { notice: shown, count, hashes: await storedHashes(app.page) }
    } finally {
      await app.close()
      await host.stop()
    }
  }

  it('recovers after the deterministic LevelDB wipe recipe (append 7 bytes, start, stop, start)', async () => {
    const [leveldb] = (await readdir(indexedDbDir())).filter((name) => name.endsWith('.indexeddb.leveldb'))
    expect(leveldb).toBeDefined()
    const logs = (await readdir(join(indexedDbDir(), leveldb!))).filter((name) => name.endsWith('.log'))
    expect(logs.length).toBeGreaterThan(0)
    for (const log of logs) await appendFile(join(indexedDbDir(), leveldb!, log), walRecordWithBadChecksum)
    const first = await startAndCheck()
    const second = await startAndCheck()
    // Chromium discards the origin's data on one of the two starts; the app must notice on that start.
    const notices = [first.notice, second.notice].filter((text) => text !== null)
    expect(notices.length).toBeGreaterThan(0)
    expect(notices[0]).toMatch(/rebuilt from the project log/i)
    expect(notices[0]).toMatch(/10,000 samples/)
    for (const round of [first, second]) {
      expect(round.count).toBe(10_000)
      expect(round.hashes).toEqual(originalHashes)
    }
  })

  it('recovers after the IndexedDB folder is deleted', async () => {
    await rm(indexedDbDir(), { recursive: true, force: true })
    const round = await startAndCheck()
    expect(round.notice).toMatch(/rebuilt from the project log/i)
    expect(round.count).toBe(10_000)
    expect(round.hashes).toEqual(originalHashes)
  })
})
