// Backups and team work through the UI, in Chromium over the loopback transport against the fake Ollama
// server: back a project up from the Projects screen and restore it as a new one (same sample count); review
// the copy as bob and the original as alice, differently; merge bob's copy from the Team panel and read the
// counts, the agreement figures and the disagreement count; open the disagreement queue on the right sample.
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { useAppSession, writeStories } from './session'
import {
  browseCount,
  connectOllama,
  createProject,
  importFile,
  openProject,
  startGeneration,
} from './app-driver'

const sampleText = (page: Page): Promise<string | null> =>
  page.getByTestId('review-sample').locator('.text').textContent()

/** Reviews the unreviewed queue from its start as `annotator`: 'x' rejects all, a digit chooses that candidate. */
async function reviewAs(page: Page, annotator: string, keys: string[]): Promise<void> {
  await page.getByTestId('nav-review').click()
  await page.getByTestId('review-queue').selectOption('unreviewed')
  await page.getByTestId('review-annotator').fill(annotator)
  await page.getByTestId('review-annotator').press('Enter')
  await page.getByTestId('review-candidate').first().waitFor({ timeout: 30_000 })
  for (const [index, key] of keys.entries()) {
    await expect.poll(() => sampleText(page)).toContain(`Story ${index}:`)
    await page.locator('body').click({ position: { x: 1, y: 1 } }) // keys go to the page, not a field
    await page.keyboard.press(key)
    if (key !== 'x') {
      await page.locator('[data-testid="review-candidate"][data-chosen="true"]').waitFor()
      await page.keyboard.press('Enter')
    }
  }
  await expect
    .poll(() => page.locator('[data-testid="decision-status"][data-status="saved"]').count())
    .toBe(keys.length)
  expect(await page.locator('[data-testid="decision-status"][data-status="failed"]').count()).toBe(0)
}

describe('backups, restore and team work', () => {
  const session = useAppSession('e2e-team', {
    ollama: true,
    prepare: async (work) => {
      await writeStories(join(work, 'corpus.jsonl'), 3)
      await mkdir(join(work, 'backups'))
    },
  })
  const corpus = (): string => join(session.work, 'corpus.jsonl')
  const backups = (): string => join(session.work, 'backups')
  let backupFolder: string

  it('prepares a project with 2 candidates per sample', async () => {
    const { page } = session.app
    await createProject(page, 'Alice')
    await importFile(page, corpus(), { textField: 'text', idField: 'id', origin: 'human' })
    await connectOllama(page, session.ollama.url, session.ollama.version)
    await startGeneration(page, { models: ['tiny:latest'], temperatures: '0.7', perCell: 2, planned: 6 })
    await page.locator('[data-testid="gen-progress"][data-status="done"]').waitFor({ timeout: 120_000 })
  })

  it('backs the project up from the Projects screen, and says what to do with a folder that is not there', async () => {
    const { page } = session.app
    await page.getByTestId('nav-projects').click()
    const row = page.locator('[data-testid="project-row"][data-project-name="Alice"]')
    await row.getByTestId('backup-project').click()
    const dialog = page.getByTestId('backup-dialog')
    await dialog.waitFor()

    await dialog.getByTestId('backup-folder').fill(join(session.work, 'no-such-folder'))
    await dialog.getByTestId('backup-start').click()
    expect(await dialog.getByTestId('backup-error').textContent()).toContain('Check that the folder exists')

    await dialog.getByTestId('backup-folder').fill(backups())
    await dialog.getByTestId('backup-start').click()
    const result = dialog.getByTestId('backup-result')
    await result.waitFor({ timeout: 60_000 })
    backupFolder = (await result.getAttribute('data-folder'))!
    expect(backupFolder.startsWith(join(backups(), 'Alice backup'))).toBe(true)
    // The screen lists what the manifest holds (3 samples, 6 candidates), and the manifest itself, each file
    // with its real hash.
    const manifestText = await readFile(join(backupFolder, 'manifest.json'), 'utf8')
    const manifest = JSON.parse(manifestText) as { files: { path: string; sha256: string }[] }
    const shown = await dialog
      .getByTestId('backup-file')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-path'), row.getAttribute('data-sha256')]),
      )
    const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
    expect(shown).toEqual([
      ...manifest.files.map((file) => [file.path, file.sha256]),
      ['manifest.json', sha256(manifestText)],
    ])
    const samples = await readFile(join(backupFolder, 'samples.jsonl'), 'utf8')
    expect(shown[manifest.files.findIndex((file) => file.path === 'samples.jsonl')]).toEqual([
      'samples.jsonl',
      sha256(samples),
    ])
    expect(
      await dialog
        .locator('[data-testid="backup-file"][data-path="samples.jsonl"]')
        .getAttribute('data-rows'),
    ).toBe('3')
    expect(
      await dialog
        .locator('[data-testid="backup-file"][data-path="candidates.jsonl"]')
        .getAttribute('data-rows'),
    ).toBe('6')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
  })

  it('restores the backup as a new project, which opens with the same samples', async () => {
    const { page } = session.app
    await page.getByTestId('restore-backup').click()
    const dialog = page.getByTestId('restore-dialog')
    await dialog.getByTestId('restore-folder').fill(backups()) // the folder above the backup: refused in words
    await dialog.getByTestId('restore-name').fill('Bob copy')
    await dialog.getByTestId('restore-start').click()
    expect(await dialog.getByTestId('restore-error').textContent()).toContain('holding manifest.json')

    await dialog.getByTestId('restore-folder').fill(backupFolder)
    await dialog.getByTestId('restore-start').click()
    await dialog.waitFor({ state: 'detached', timeout: 60_000 })
    await expect.poll(() => page.getByTestId('current-project').textContent()).toBe('Bob copy')
    expect(await browseCount(page, 3)).toBe(3)
    // Its first open reads its log without claiming anything was lost (the store never held it).
    expect(await page.getByTestId('notice').count()).toBe(0)
  })

  it('merges bob’s reviews into alice’s project and shows the agreement and the disagreements', async () => {
    const { page } = session.app
    // Bob rejects s0, chooses on s1, rejects s2; alice rejects s0 and s1, chooses on s2.
    await reviewAs(page, 'bob', ['x', '1', 'x'])
    await page.getByTestId('nav-projects').click()
    await openProject(page, 'Alice')
    expect(await browseCount(page, 3)).toBe(3)
    // The copy shares every id with the original; the store keeps both, so nothing was rebuilt or "lost".
    expect(await page.getByTestId('notice').count()).toBe(0)
    await reviewAs(page, 'alice', ['x', 'x', '1'])

    await page.getByTestId('nav-team').click()
    await page.locator('[data-testid="agreement-annotators"]', { hasText: 'alice' }).waitFor()
    await page.getByTestId('merge-source').selectOption({ label: 'Bob copy (3 samples)' })
    await page.getByTestId('merge-start').click()
    const merged = page.getByTestId('merge-result')
    await merged.waitFor({ timeout: 60_000 })
    expect(await merged.getAttribute('data-appended')).toBe('3')
    expect(await merged.getAttribute('data-already-present')).toBe('0')
    expect(await merged.getAttribute('data-skipped-unknown')).toBe('0')
    expect(await merged.getAttribute('data-skipped-unverified')).toBe('0')

    // By hand: pairs (rej,rej) (rej,bob's pick) (alice's pick,rej); po = 1/3; each rater rej 2 of 3, so
    // pe = 4/9 and κ = (1/3 − 4/9) / (5/9) = −0.2; α = 1 − 5·4/18 = −1/9.
    const figures = page.getByTestId('agreement-figures')
    await expect.poll(() => figures.getAttribute('data-overlapping')).toBe('3')
    expect(await figures.getAttribute('data-agreeing')).toBe('1')
    expect(Number(await figures.getAttribute('data-kappa'))).toBeCloseTo(-0.2, 10)
    expect(Number(await figures.getAttribute('data-alpha'))).toBeCloseTo(-1 / 9, 10)
    expect(await page.getByTestId('agreement-percent').textContent()).toBe('33%')
    expect(await page.getByTestId('agreement-kappa').textContent()).toBe('-0.20')
    expect(await page.getByTestId('agreement-reading').textContent()).toContain('worse than chance')
    expect(await page.getByTestId('disagreement-count').getAttribute('data-count')).toBe('2')

    // Merging the same copy again adds nothing.
    await page.getByTestId('merge-start').click()
    await page.locator('[data-testid="merge-result"][data-already-present="3"]').waitFor()
    expect(await merged.getAttribute('data-appended')).toBe('0')
  })

  it('opens the disagreement queue on the first disagreeing sample, with both verdicts', async () => {
    const { page } = session.app
    await page.getByTestId('review-disagreements').click()
    await page.getByTestId('review-sample').waitFor()
    expect(await page.getByTestId('review-queue').inputValue()).toBe('disagreements')
    await expect.poll(() => sampleText(page)).toContain('Story 1:')
    expect(await page.getByTestId('review-sample').textContent()).toContain('1 of 2 in the queue')
    const verdicts = page.getByTestId('annotator-verdict')
    expect(
      await verdicts.evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))),
    ).toEqual(['rejected', 'selected'])
    expect(await verdicts.first().textContent()).toContain('alice')

    await page.locator('body').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('Enter')
    await expect.poll(() => sampleText(page)).toContain('Story 2:')
  })
})
