// An unopenable store is moved aside at the next start, never deleted, and only when the user asked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { moveStoreAsideIfRequested, requestStoreMoveAside } from '../../../src-main/services/store-quarantine'
import { cleanup, tempDir } from '../../e2e/harness'

describe('moving the store aside', () => {
  let profile: string
  beforeEach(async () => {
    profile = await tempDir('quarantine')
    await mkdir(join(profile, 'IndexedDB', 'app_winnow_0.indexeddb.leveldb'), { recursive: true })
    await writeFile(join(profile, 'IndexedDB', 'app_winnow_0.indexeddb.leveldb', '000003.log'), 'rows')
  })
  afterEach(async () => cleanup(profile))

  it('does nothing unless a move was requested', async () => {
    expect(await moveStoreAsideIfRequested(profile)).toBeNull()
    expect(await readdir(profile)).toEqual(['IndexedDB'])
  })

  it('moves the whole folder aside with its contents intact, once', async () => {
    await requestStoreMoveAside(profile, 'open failed: Internal error opening backing store')
    const movedTo = await moveStoreAsideIfRequested(profile, new Date('2026-11-21T20:00:00Z'))
    expect(movedTo).toBe(join(profile, 'IndexedDB.moved-aside-2026-11-21T20-00-00-000Z'))
    expect(await readFile(join(movedTo!, 'app_winnow_0.indexeddb.leveldb', '000003.log'), 'utf8')).toBe(
      'rows',
    )
    expect((await readdir(profile)).sort()).toEqual(['IndexedDB.moved-aside-2026-11-21T20-00-00-000Z'])
    expect(await moveStoreAsideIfRequested(profile)).toBeNull()
  })
})
