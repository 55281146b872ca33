// Bar 2: in Chromium, through the loopback transport and the UI — a 10,000-line JSONL with 100 malformed
// lines stores exactly 9,900 samples and lists the 100 errors by line; re-importing adds 0; a 10,000-row CSV
// with one unterminated quote loses exactly one record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFile, writeFile } from 'node:fs/promises'
import {
  assertPrerequisites,
  cleanup,
  freePort,
  openApp,
  startHost,
  tempDir,
  type Browser,
  type Host,
} from './harness'
import { browseCount, createProject, importFile } from './app-driver'
import { writeCsvWithRunawayQuote, writeDamagedJsonl, type DamagedFile } from '../factories/corpus-files'

describe('import through the UI', () => {
  let work: string
  let host: Host
  let app: Browser
  let jsonl: DamagedFile
  let csv: DamagedFile

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-import')
    jsonl = await writeDamagedJsonl(join(work, 'corpus.jsonl'))
    csv = await writeCsvWithRunawayQuote(join(work, 'table.csv'))
    host = await startHost(join(work, 'data'), await freePort())
    app = await openApp(join(work, 'profile'), host.url)
  })

  afterAll(async () => {
    await app?.close()
    await host?.stop()
    await cleanup(work)
  })

  it('stores exactly the good lines of a damaged JSONL file and lists every bad line', async () => {
    const { page } = app
    await createProject(page, 'Import bar')
    const summary = await importFile(page, jsonl.path, { textField: 'text', idField: 'id', origin: 'human' })
    expect(summary).toEqual({ imported: 9_900, duplicates: 0, rejected: 100 })

    const listed = await page.getByTestId('import-error').allTextContents()
    expect(listed).toHaveLength(100)
    const listedLines = listed.map((text) => Number(/^corpus\.jsonl:(\d+):/.exec(text.trim())?.[1]))
    expect(listedLines).toEqual(jsonl.badLines)
    expect(listed.every((text) => /:\d+: \S/.test(text))).toBe(true)

    expect(await browseCount(page, 9_900)).toBe(9_900)
    // Records with a __proto__ key were imported and shown: no object in the page gained a prototype property.
    expect(await page.evaluate(() => 'polluted' in Object.prototype)).toBe(false)
  })

  it('adds nothing when the same file is imported again', async () => {
    const summary = await importFile(app.page, jsonl.path, { textField: 'text', idField: 'id' })
    expect(summary).toEqual({ imported: 0, duplicates: 9_900, rejected: 100 })
    expect(await browseCount(app.page, 9_900)).toBe(9_900)
  })

  it('loses exactly the one CSV record with an unterminated quote', async () => {
    const summary = await importFile(app.page, csv.path, { textField: 'text', idField: 'id' })
    expect(summary).toEqual({ imported: 9_999, duplicates: 0, rejected: 1 })
    const listed = await app.page.getByTestId('import-error').allTextContents()
    expect(listed.map((text) => text.trim().split(':')[1])).toEqual(csv.badLines.map(String))
    expect(await browseCount(app.page, 19_899)).toBe(19_899)
  })

  it('shows hostile text as text: no script runs, no dialog opens, nothing navigates', async () => {
    const payloads = [
      '<script>window.__xss = 1</script>',
      '<img src=x onerror="window.__xss = 2">',
      '"><svg onload="window.__xss = 3">',
      'javascript:window.__xss = 4',
      '{@html "<b>not html</b>"}',
      'Invoice \u202Etxt.exe',
    ]
    const path = join(work, 'hostile.jsonl')
    await writeFile(
      path,
      payloads.map((text, i) => JSON.stringify({ id: `x${i}`, text, note: text })).join('\n'),
    )
    let dialogs = 0
    app.page.on('dialog', (dialog) => {
      dialogs++
      void dialog.dismiss()
    })
    const summary = await importFile(app.page, path, { textField: 'text', idField: 'id' })
    expect(summary.imported).toBe(payloads.length)
    await app.page.getByTestId('nav-browse').click()
    await app.page.getByTestId('search-input').fill('__xss')
    await app.page.getByTestId('sample-row').filter({ hasText: 'onerror' }).first().click()
    await app.page.getByTestId('sample-detail').waitFor()
    expect(await app.page.getByTestId('sample-text').textContent()).toContain('window.__xss')
    expect(await app.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(dialogs).toBe(0)
    expect(new URL(app.page.url()).origin).toBe(host.origin)
  })

  it('keeps the full error list on disk in the file:line: reason form', async () => {
    const dataDir = join(work, 'data', 'projects')
    const { readdir } = await import('node:fs/promises')
    const [project] = await readdir(dataDir)
    const files = await readdir(join(dataDir, project!, 'imports'))
    const texts = await Promise.all(
      files.map((file) => readFile(join(dataDir, project!, 'imports', file), 'utf8')),
    )
    const jsonlErrors = texts
      .find((text) => text.startsWith('corpus.jsonl:'))!
      .trim()
      .split('\n')
    expect(jsonlErrors).toHaveLength(100)
  })
})
