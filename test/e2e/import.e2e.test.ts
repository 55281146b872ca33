// Bar 2: in Chromium, through the loopback transport and the UI — a 10,000-line JSONL with 100 malformed
// lines stores exactly 9,900 samples and lists the 100 errors by line; re-importing adds 0; a 10,000-row CSV
// with one unterminated quote loses exactly one record.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFile, writeFile } from 'node:fs/promises'
import { useAppSession } from './session'
import { browseCount, createProject, importFile } from './app-driver'
import { writeCsvWithRunawayQuote, writeDamagedJsonl, type DamagedFile } from '../factories/corpus-files'

describe('import through the UI', () => {
  let jsonl: DamagedFile
  let csv: DamagedFile
  const session = useAppSession('e2e-import', {
    prepare: async (work) => {
      jsonl = await writeDamagedJsonl(join(work, 'corpus.jsonl'))
      csv = await writeCsvWithRunawayQuote(join(work, 'table.csv'))
    },
  })

  it('stores exactly the good lines of a damaged JSONL file and lists every bad line', async () => {
    const { page } = session.app
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
    const summary = await importFile(session.app.page, jsonl.path, { textField: 'text', idField: 'id' })
    expect(summary).toEqual({ imported: 0, duplicates: 9_900, rejected: 100 })
    expect(await browseCount(session.app.page, 9_900)).toBe(9_900)
  })

  it('loses exactly the one CSV record with an unterminated quote', async () => {
    const summary = await importFile(session.app.page, csv.path, { textField: 'text', idField: 'id' })
    expect(summary).toEqual({ imported: 9_999, duplicates: 0, rejected: 1 })
    const listed = await session.app.page.getByTestId('import-error').allTextContents()
    expect(listed.map((text) => text.trim().split(':')[1])).toEqual(csv.badLines.map(String))
    expect(await browseCount(session.app.page, 19_899)).toBe(19_899)
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
    const path = join(session.work, 'hostile.jsonl')
    await writeFile(
      path,
      payloads.map((text, i) => JSON.stringify({ id: `x${i}`, text, note: text })).join('\n'),
    )
    let dialogs = 0
    session.app.page.on('dialog', (dialog) => {
      dialogs++
      void dialog.dismiss()
    })
    const summary = await importFile(session.app.page, path, { textField: 'text', idField: 'id' })
    expect(summary.imported).toBe(payloads.length)
    await session.app.page.getByTestId('nav-browse').click()
    await session.app.page.getByTestId('search-input').fill('__xss')
    await session.app.page.getByTestId('sample-row').filter({ hasText: 'onerror' }).first().click()
    await session.app.page.getByTestId('sample-detail').waitFor()
    expect(await session.app.page.getByTestId('sample-text').textContent()).toContain('window.__xss')
    expect(
      await session.app.page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined()
    expect(dialogs).toBe(0)
    expect(new URL(session.app.page.url()).origin).toBe(session.host.origin)
  })

  it('keeps the full error list on disk in the file:line: reason form', async () => {
    const dataDir = join(session.work, 'data', 'projects')
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
