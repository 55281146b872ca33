// Issue 5, bar 6: in Chromium over the loopback transport, import 6 samples, generate 3 candidates each
// against the fake Ollama server, review by keyboard (select, edit, flag, reject all), then on the Datasets
// screen (g d) preview and export in three formats. In Node: every file the manifest lists hashes, on disk,
// to the manifest's SHA-256 and to what the screen shows; every JSONL line parses; row counts match; the
// history lists the export. Tampering with one file afterwards is caught by the same comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import { cleanup, tempDir } from './harness'
import { useAppSession, writeStories } from './session'
import { createProject, importFile, connectOllama, startGeneration } from './app-driver'

const formats = ['sft-messages', 'dpo', 'alpaca'] as const

const currentSample = (page: Page): Promise<string | null> =>
  page.getByTestId('review-sample').getAttribute('data-sample-id')

async function movedOn(page: Page, previous: string | null): Promise<string | null> {
  await expect.poll(() => currentSample(page)).not.toBe(previous)
  return currentSample(page)
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** The listed files whose bytes on disk do not hash (or size) to what the manifest says. */
async function mismatches(folder: string, manifest: DatasetSnapshot): Promise<string[]> {
  const wrong: string[] = []
  for (const file of manifest.files) {
    const bytes = await readFile(join(folder, file.path))
    if (sha256(bytes) !== file.sha256 || bytes.length !== file.bytes) wrong.push(file.path)
  }
  return wrong
}

describe('building and exporting a dataset', () => {
  const session = useAppSession('e2e-export', {
    ollama: true,
    prepare: (work) => writeStories(join(work, 'corpus.jsonl'), 6, 'a fox crossed the river at dawn.'),
  })
  const corpus = (): string => join(session.work, 'corpus.jsonl')
  let exportParent: string

  beforeAll(async () => {
    exportParent = await tempDir('e2e-export-out')
  })
  afterAll(async () => {
    await cleanup(exportParent)
  })

  it('imports, generates and reviews by keyboard', async () => {
    const { page } = session.app
    await createProject(page, 'Export')
    await importFile(page, corpus(), { textField: 'text', idField: 'id', origin: 'human' })

    // Nothing reviewed yet: the Datasets screen says what to do first.
    await page.getByTestId('nav-datasets').click()
    expect(await page.getByTestId('datasets-empty').textContent()).toContain(
      'Review some samples first — press g r',
    )

    await connectOllama(page, session.ollama.url, session.ollama.version)
    await startGeneration(page, { models: ['tiny:latest'], temperatures: '0.7', perCell: 3, planned: 18 })
    await page.locator('[data-testid="gen-progress"][data-status="done"]').waitFor({ timeout: 120_000 })

    await page.locator('body').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('g')
    await page.keyboard.press('r')
    await page.getByTestId('review-candidate').nth(2).waitFor({ timeout: 30_000 })

    // 1: select the first candidate; 2: select the second (the others become DPO's rejected side).
    let sample = await currentSample(page)
    for (const key of ['1', '2']) {
      await page.keyboard.press(key)
      await page.locator('[data-testid="review-candidate"][data-chosen="true"]').waitFor()
      await page.keyboard.press('Enter')
      sample = await movedOn(page, sample)
    }
    // 3: flag the first candidate, then edit the second.
    await page.keyboard.press('f')
    await page.getByTestId('flag-dialog').waitFor()
    await page.keyboard.press('1')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Changes the meaning.')
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('flag-dialog').waitFor({ state: 'detached' })
    await page.keyboard.press('j')
    await page.keyboard.press('e')
    await page.getByTestId('edit-text').waitFor()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Story 2: a quick fox crossed the river at first light.')
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('edit-panel').waitFor({ state: 'detached' })
    await page.locator('[data-testid="review-status"]', { hasText: 'edited' }).waitFor()
    await page.keyboard.press('Enter')
    sample = await movedOn(page, sample)
    // 4: reject all.
    await page.keyboard.press('x')
    await movedOn(page, sample)

    await expect
      .poll(() => page.locator('[data-testid="decision-status"][data-status="saved"]').count())
      .toBe(5)
    expect(await page.locator('[data-testid="decision-status"][data-status="failed"]').count()).toBe(0)
  })

  it('previews and exports in three formats, and the manifest hashes equal the files’ real hashes', async () => {
    const { page } = session.app
    await page.locator('body').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('g')
    await page.keyboard.press('d')
    await page.getByTestId('dataset-folder').waitFor()
    expect(await page.getByTestId('dataset-name').inputValue()).toBe('Export dataset')

    await page.getByTestId('dataset-folder').fill(exportParent)
    for (const id of formats) await page.getByTestId(`dataset-format-${id}`).check()
    expect(await page.getByTestId('dataset-format-sft-messages').isChecked()).toBe(true)
    // The Hugging Face folder too: DPO's rows as Parquet, and the card.
    await page.getByTestId('dataset-hf').check()
    await page.getByTestId('dataset-hf-format').selectOption('dpo')
    await page.getByTestId('dataset-hf-license').fill('cc-by-4.0')
    await page.getByTestId('dataset-test-fraction').fill('0.3')
    await page.getByTestId('dataset-seed').fill('7')

    await page.getByTestId('dataset-preview').click()
    const counts = page.getByTestId('dataset-preview-counts')
    await counts.waitFor()
    const train = Number(await counts.getAttribute('data-train'))
    const test = Number(await counts.getAttribute('data-test'))
    const humanShare = Number(await counts.getAttribute('data-human-share'))
    // 6 human originals (accumulate) + 3 accepted texts (2 selected, 1 edited), before dedup.
    expect(train + test).toBeGreaterThan(6)
    expect(train + test).toBeLessThanOrEqual(9)
    expect(humanShare).toBeGreaterThan(0.5)
    console.log(`preview: ${train} train, ${test} test, human share ${humanShare.toFixed(3)}`)

    await page.getByTestId('dataset-export').click()
    const result = page.getByTestId('dataset-result')
    await result.waitFor({ timeout: 60_000 })
    const folder = (await result.getAttribute('data-folder'))!
    const shownContentHash = await result.getAttribute('data-content-hash')

    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as DatasetSnapshot
    expect(manifest.folder).toBe(folder)
    expect(manifest.contentHash).toBe(shownContentHash)
    expect([...manifest.formats].sort()).toEqual([...formats].sort())
    expect(manifest.splits.train.length + manifest.splits.test.length).toBeGreaterThan(0)

    // Every listed file, hashed from disk, equals the manifest and what the screen shows.
    const shown = await page.getByTestId('dataset-file').evaluateAll((rows) =>
      rows.map((row) => ({
        path: row.getAttribute('data-path'),
        sha256: row.getAttribute('data-sha256'),
        bytes: Number(row.getAttribute('data-bytes')),
        lines: Number(row.getAttribute('data-rows')),
      })),
    )
    expect(shown).toEqual(
      manifest.files.map(({ path, sha256, bytes, lines }) => ({ path, sha256, bytes, lines })),
    )
    // Which samples land in test is a seeded hash of their ids (random per project), so a format may have
    // rows in one split only. A split with no rows of a format gets no file: every file listed has rows, and
    // every format has at least one.
    const paths = manifest.files.map((file) => file.path)
    expect(paths).toContain('README.md')
    expect(
      paths.filter((path) => /^data\/(train|test)-\d{5}-of-\d{5}\.parquet$/.test(path)).length,
    ).toBeGreaterThan(0)
    for (const id of formats) {
      const own = paths.filter((path) => path.startsWith(`${id}/`))
      expect(own.length, id).toBeGreaterThan(0)
      for (const path of own) expect([`${id}/train.jsonl`, `${id}/test.jsonl`]).toContain(path)
    }
    for (const file of manifest.files)
      if (file.path.endsWith('.jsonl')) expect(file.lines, file.path).toBeGreaterThan(0)
    let hashed = 0
    for (const file of manifest.files) {
      const bytes = await readFile(join(folder, file.path))
      expect(sha256(bytes), file.path).toBe(file.sha256)
      expect(bytes.length, file.path).toBe(file.bytes)
      hashed += 1
      if (!file.path.endsWith('.jsonl')) continue
      const lines = bytes.toString('utf8').split('\n')
      expect(lines.pop(), `${file.path} ends with a newline`).toBe('')
      expect(lines.length, file.path).toBe(file.lines)
      for (const line of lines) expect(() => JSON.parse(line) as unknown, file.path).not.toThrow()
    }
    expect(await mismatches(folder, manifest)).toEqual([])

    // The manifest's row counts per format are the lines of that format's files.
    const linesOf = (prefix: string): number =>
      manifest.files.filter((file) => file.path.startsWith(`${prefix}/`)).reduce((n, f) => n + f.lines, 0)
    for (const id of [...formats, 'human-originals']) expect(manifest.counts.rows[id], id).toBe(linesOf(id))
    expect(manifest.counts.rows['sft-messages']).toBe(3) // 2 selected + 1 edited
    expect(manifest.counts.rows['alpaca']).toBe(3)
    expect(manifest.counts.rows['dpo']).toBeGreaterThan(0) // pairs against the unchosen candidates
    expect(manifest.counts.rows['human-originals']).toBe(6)
    console.log(
      `exported ${manifest.files.length} files (${hashed} hashed from disk, all equal): ` +
        Object.entries(manifest.counts.rows)
          .map(([id, rows]) => `${id} ${rows}`)
          .join(', '),
    )

    // The history lists it, from the datasets table the projection filled from dataset.exported.
    const entry = page.locator(`[data-testid="dataset-history"][data-id="${manifest.id}"]`)
    await entry.waitFor({ timeout: 30_000 })
    expect(await entry.getAttribute('data-content-hash')).toBe(manifest.contentHash)
    expect(await page.getByTestId('dataset-history').count()).toBe(1)

    // The comparison can fail: one byte appended to one file is caught.
    const tampered = manifest.files.find((file) => file.path.startsWith('dpo/'))!
    await appendFile(join(folder, tampered.path), ' ')
    expect(await mismatches(folder, manifest)).toEqual([tampered.path])
  })
})
