// Review through the UI, keyboard only, in Chromium over the loopback transport against the fake Ollama
// server: import 5 samples, generate 3 candidates each with one model, then select, reject all, skip, flag,
// edit and undo with keys, see every decision saved, and verify the provenance chains from the screen; then
// candidates with reasoning traces, collapsed again on each new sample.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { useAppSession, writeStories } from './session'
import { createProject, importFile, connectOllama, startGeneration } from './app-driver'

const currentSample = (page: Page): Promise<string | null> =>
  page.getByTestId('review-sample').getAttribute('data-sample-id')

/** Waits until the screen shows a sample other than `previous` (moving on is asynchronous, if quick). */
async function movedOn(page: Page, previous: string | null): Promise<string | null> {
  await expect.poll(() => currentSample(page)).not.toBe(previous)
  return currentSample(page)
}

describe('reviewing with the keyboard', () => {
  const session = useAppSession('e2e-review', {
    ollama: true,
    prepare: (work) => writeStories(join(work, 'corpus.jsonl'), 5),
  })
  const corpus = (): string => join(session.work, 'corpus.jsonl')

  it('generates 3 candidates per sample to review', async () => {
    const { page } = session.app
    await createProject(page, 'Review')
    await importFile(page, corpus(), { textField: 'text', idField: 'id', origin: 'human' })
    await page.getByTestId('nav-review').click()
    await page.getByTestId('review-empty').getByText('Generate candidates first').waitFor()

    await connectOllama(page, session.ollama.url, session.ollama.version)
    await startGeneration(page, { models: ['tiny:latest'], temperatures: '0.7', perCell: 3, planned: 15 })
    await page.locator('[data-testid="gen-progress"][data-status="done"]').waitFor({ timeout: 120_000 })
  })

  it('records every kind of decision from the keyboard and verifies the chains', async () => {
    const { page } = session.app
    await page.locator('body').click({ position: { x: 1, y: 1 } }) // keys go to the page, not a field
    await page.keyboard.press('g')
    await page.keyboard.press('r')
    await page.getByTestId('review-candidate').nth(2).waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('review-candidate').count()).toBe(3)

    const first = await currentSample(page)
    await page.keyboard.press('2')
    await page.locator('[data-testid="review-candidate"][data-chosen="true"]').waitFor()
    expect(await page.getByTestId('review-candidate').nth(1).getAttribute('data-chosen')).toBe('true')
    await page.keyboard.press('Enter')
    const second = await movedOn(page, first)

    await page.keyboard.press('x') // reject all, and on
    const third = await movedOn(page, second)
    await page.keyboard.press('s') // skip, and on
    const fourth = await movedOn(page, third)
    await page.keyboard.press('p') // back to the skipped sample, and on again without deciding
    expect(await movedOn(page, fourth)).toBe(third)
    await page.keyboard.press('Enter')
    expect(await movedOn(page, third)).toBe(fourth)

    await page.keyboard.press('f')
    const dialog = page.getByTestId('flag-dialog')
    await dialog.waitFor()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('flag-reason')
    await page.keyboard.press('2') // the second reason, by its number
    await page.keyboard.press('Tab')
    await page.keyboard.type('Says less than the source.')
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'detached' })
    await page.getByTestId('candidate-flag').waitFor()
    expect(await page.getByTestId('candidate-flag').first().textContent()).toContain('meaning-changed')
    const flagShown = page.getByTestId('annotation-flag')
    await flagShown.waitFor()
    expect(await flagShown.textContent()).toContain('Says less than the source.')

    await page.keyboard.press('e')
    await page.getByTestId('edit-text').waitFor()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Story 3: a quick fox.')
    await page.getByTestId('edit-diff').locator('ins').first().waitFor()
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('edit-panel').waitFor({ state: 'detached' })
    await page.locator('[data-testid="review-status"]', { hasText: 'edited' }).waitFor()
    expect(await page.getByTestId('annotation-edit').textContent()).toContain('Story 3: a quick fox.')

    await page.keyboard.press('z') // undoes the edit; the flag stays
    await page.locator('[data-testid="decision-status"][data-kind="undo"][data-status="saved"]').waitFor()
    await page.locator('[data-testid="review-status"]', { hasText: 'unreviewed' }).waitFor()
    expect(await page.getByTestId('review-flag-count').textContent()).toContain('1')

    const statuses = page.getByTestId('decision-status')
    await expect
      .poll(() => page.locator('[data-testid="decision-status"][data-status="saved"]').count())
      .toBe(6)
    const kinds = await statuses.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))
    expect(kinds).toEqual(['undo', 'edit', 'flag', 'skip', 'reject-all', 'select'])
    expect(await page.locator('[data-testid="decision-status"][data-status="failed"]').count()).toBe(0)
    await page.locator('[data-testid="review-progress"][data-done="2"][data-total="5"]').waitFor()

    await page.getByTestId('verify-provenance').click()
    const verdict = page.locator('[data-testid="verify-result"][data-ok="true"]')
    await verdict.waitFor()
    expect(await verdict.textContent()).toContain('Chains verified: 6 decisions in 1 chain')

    await page.keyboard.press('?')
    await page.getByTestId('shortcuts-dialog').getByText('Review: reject all candidates and go on').waitFor()
    await page.keyboard.press('Escape')
  })

  // The cards are reused from one sample to the next (bench:review): an opened trace must not stay open.
  // Candidates are shown in a random order, so the check needs a next sample with a trace at a position
  // where one was opened (without that, a build that kept traces open would pass too).
  it('shows every new sample with its reasoning traces collapsed', async () => {
    const { page } = session.app
    await page.getByTestId('nav-generate').click()
    await page.locator('[data-testid="gen-model"][data-model="tiny:latest"]').uncheck()
    await page.getByTestId('gen-think').check()
    await startGeneration(page, { models: ['thinker:latest'], temperatures: '0.7', perCell: 3, planned: 15 })
    await page.locator('[data-testid="gen-progress"][data-status="done"]').waitFor({ timeout: 120_000 })

    await page.getByTestId('nav-review').click()
    const cards = page.getByTestId('review-candidate')
    const openTraces = page.locator('[data-testid="review-candidate"] details[open]')
    const tracePositions = (): Promise<number[]> =>
      cards.evaluateAll((all) => all.flatMap((card, index) => (card.querySelector('details') ? [index] : [])))
    await cards.locator('details').first().waitFor({ timeout: 30_000 })
    let isChecked = false
    for (let sample = 0; sample < 2 && !isChecked; sample++) {
      const opened = await tracePositions()
      for (const index of opened) await cards.nth(index).locator('summary').click()
      await expect.poll(() => openTraces.count()).toBe(opened.length)
      const before = await currentSample(page)
      await page.locator('body').click({ position: { x: 1, y: 1 } }) // Enter goes to the page, not a summary
      await page.keyboard.press('Enter')
      await movedOn(page, before)
      await cards.locator('details').first().waitFor()
      isChecked = (await tracePositions()).some((index) => opened.includes(index))
      expect(await openTraces.count()).toBe(0)
    }
    expect(isChecked).toBe(true)
  })
})
