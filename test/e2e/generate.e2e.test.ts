// Models and Generate through the UI, in Chromium over the loopback transport, against the fake Ollama
// server: point Winnow at it, pull a model, then generate 3 candidates × 2 models × 2 temperatures for
// 5 samples and watch the job finish with all 60 complete.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { useAppSession, writeStories } from './session'
import { createProject, importFile } from './app-driver'

describe('models and generation through the UI', () => {
  const session = useAppSession('e2e-generate', {
    ollama: true,
    prepare: (work) => writeStories(join(work, 'corpus.jsonl'), 5),
  })
  const corpus = (): string => join(session.work, 'corpus.jsonl')

  it('lists and pulls models at the chosen host', async () => {
    const { page } = session.app
    await createProject(page, 'Generation')
    expect(await importFile(page, corpus(), { textField: 'text', idField: 'id', origin: 'human' })).toEqual({
      imported: 5,
      duplicates: 0,
      rejected: 0,
    })
    await page.getByTestId('nav-models').click()
    await page.getByTestId('ollama-host').fill(session.ollama.url)
    await page.getByTestId('ollama-host').press('Enter')
    await page
      .getByTestId('ollama-status')
      .getByText(`Connected to Ollama ${session.ollama.version}`)
      .waitFor()
    await page.locator('[data-testid="model-row"][data-model="tiny:latest"]').waitFor()
    expect(await page.getByTestId('model-row').count()).toBe(session.ollama.models.length)

    await page.getByTestId('pull-name').fill('fresh:1b')
    await page.getByTestId('pull-start').click()
    await page.locator('[data-testid="pull-progress"][data-status="done"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="model-row"][data-model="fresh:1b"]').waitFor()
  })

  it('generates the planned grid for every sample', async () => {
    const { page } = session.app
    await page.getByTestId('nav-generate').click()
    expect(await page.getByTestId('template-select').locator('option').count()).toBe(5)
    await page
      .getByTestId('template-preview')
      .getByText('Story 0: a fox.', { exact: false })
      .first()
      .waitFor()
    for (const model of ['tiny:latest', 'thinker:latest'])
      await page.locator(`[data-testid="gen-model"][data-model="${model}"]`).check()
    await page.getByTestId('gen-temperatures').fill('0.5, 1')
    await page.getByTestId('gen-k').fill('3')
    await page.locator('[data-testid="gen-planned"][data-count="60"]').waitFor()
    await page.getByTestId('gen-start').click()
    const progress = page.locator('[data-testid="gen-progress"][data-status="done"]')
    await progress.waitFor({ timeout: 120_000 })
    expect(await progress.getByTestId('gen-count-complete').textContent()).toBe('60')
    expect(await progress.getByTestId('gen-count-failed').textContent()).toBe('0')

    // Every candidate's provenance is in the sample view: 2 models × 2 temperatures × 3 per sample.
    await page.getByTestId('nav-browse').click()
    await page.getByTestId('sample-row').first().click()
    const candidates = page.getByTestId('sample-candidates').getByTestId('candidate')
    await candidates.nth(11).waitFor({ timeout: 60_000 })
    expect(await candidates.count()).toBe(12)
    expect(await page.locator('[data-testid="candidate"][data-status="complete"]').count()).toBe(12)
    expect(await page.getByTestId('candidate-provenance').count()).toBe(12)
    const provenance = page.getByTestId('candidate-provenance').first()
    await provenance.locator('summary').first().click()
    const text = await provenance.textContent()
    for (const field of [
      'Engine',
      'ollama',
      session.ollama.url,
      'Model digest',
      'Template hash',
      'Seed',
      'Attempt',
    ]) {
      expect(text).toContain(field)
    }
  })
})
