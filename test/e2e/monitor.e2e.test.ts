// Issue 7 bar 5 (and the screen half of bar 3): in Chromium over the loopback transport, the collapse monitor
// dashboard shows stories260K (generation 0) and stories260K fine-tuned on its own stories (generation 1),
// both probed with the real model through the real services — generation 1 from the dashboard's own Probe
// button. The charts render (screenshot in test-results/monitor/), the alarms are listed with their state in
// words, and the held-out perplexity alarm is reached with Tab and leads to its chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import type { JobSnapshot } from '@shared/jobs/job'
import type { LlamaFinetuneBuild } from '../../src-main/services/training/llama-finetune-build'
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
import { createProject, importFile } from './app-driver'
import { LoopbackClient } from './loopback-client'
import { storyReferences } from '../factories/monitor'
import {
  BUILD_TIMEOUT_MS,
  buildFinetuneTool,
  fineTuneOnOwnStories,
  MODEL,
  PROMPTS,
  REFERENCE,
} from '../integration/finetune-helpers'

const artifacts = resolve(import.meta.dirname, '../../test-results/monitor')

/** Tabs forward until the focused element passes `test`, at most `limit` times; answers whether it did. */
async function tabUntil(page: Page, test: string, limit = 80): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(test)) return true
  }
  return false
}

describe('collapse monitor dashboard', () => {
  let work: string
  let host: Host
  let app: Browser
  let client: LoopbackClient
  let build: LlamaFinetuneBuild
  let tuned: { output: string }

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-monitor')
    build = await buildFinetuneTool()
    tuned = await fineTuneOnOwnStories(build, work)
    host = await startHost(join(work, 'data'), await freePort())
    app = await openApp(join(work, 'profile'), host.url)
    client = await LoopbackClient.connect(host)
  }, BUILD_TIMEOUT_MS)

  afterAll(async () => {
    client?.close()
    await app?.close()
    await host?.stop()
    if (work) await cleanup(work)
  })

  it('shows the generations, their charts and the held-out perplexity alarm, reachable by keyboard', async () => {
    const { page } = app
    await createProject(page, 'Stories')
    const corpus = join(work, 'human.jsonl')
    const texts = [...PROMPTS, REFERENCE, ...storyReferences]
    await writeFile(corpus, texts.map((text) => JSON.stringify({ text })).join('\n'))
    expect((await importFile(page, corpus, { origin: 'human' })).imported).toBe(texts.length)

    // Before anything is registered, the dashboard says what to do.
    await page.getByTestId('nav-monitor').click()
    await expect.poll(() => page.getByTestId('monitor-empty').textContent()).toMatch(/Register generation 0/)

    const projectId = (await client.call('projects.list', {})).find((p) => p.name === 'Stories')!.id
    await client.call('monitor.freezeSets', {
      projectId,
      probeSize: 4,
      referenceSize: 6,
      seed: 3,
      settings: { samplesPerPrompt: 8, maxTokens: 48, seed: 100, topLogprobs: 10 },
    })
    const register = (label: string, ggufPath: string, parentId: string | null) =>
      client.call('monitor.register', {
        projectId,
        generation: { label, parentId, engine: 'llamacpp', ggufPath, ollama: null, trainingSnapshotId: null },
      })
    const base = await register('stories260K', MODEL, null)
    await register('fine-tuned on its own stories', tuned.output, base.id)
    const settled = (jobId: string) =>
      client.waitFor<JobSnapshot>('jobs.changed', (job) => job.id === jobId && job.status === 'done')
    const { jobId } = await client.call('monitor.probe', { projectId, generationId: base.id })
    await settled(jobId)

    // Generation 1 is probed from the dashboard: its Probe button starts the job, the report follows the log.
    await page.getByRole('button', { name: 'Probe generation 1 (fine-tuned on its own stories)' }).click()
    const errorsAlarm = page.locator('[data-testid="monitor-family"][data-state="alarm"]', {
      has: page.getByRole('heading', { name: /Errors: ALARM/ }),
    })
    await errorsAlarm.waitFor({ timeout: 120_000 })
    await expect.poll(() => page.getByTestId('monitor-verdict').textContent()).toBe('ALARM')
    expect(await errorsAlarm.textContent()).toMatch(/held-out perplexity up \d+ %/)

    // Charts: one per measured metric, each an SVG with its line and a dot per generation.
    const charts = page.getByTestId('monitor-chart')
    expect(await charts.count()).toBeGreaterThanOrEqual(8)
    const perplexityChart = page.locator('[data-testid="monitor-chart"][data-metric="heldOut.perplexity"]')
    expect(await perplexityChart.locator('circle').count()).toBe(2)
    expect(await perplexityChart.locator('polygon').count()).toBe(1)
    expect(await perplexityChart.locator('svg').getAttribute('aria-label')).toMatch(/generation 1 \d+/)
    // Every metric has its band now, the text metrics' from half-samples of the continuations.
    const distinctChart = page.locator('[data-testid="monitor-chart"][data-metric="distinct.n2"]')
    expect(await distinctChart.locator('polygon').count()).toBe(1)
    expect(await distinctChart.locator('svg').getAttribute('aria-label')).toMatch(/90 % band/)
    // Neither generation names a training dataset, and no embedding model was chosen: both panels say so,
    // and how to get the figures, instead of showing nothing.
    expect(await page.getByTestId('monitor-mix').textContent()).toMatch(/No training dataset is recorded/)
    expect(await page.getByTestId('monitor-embedding-note').textContent()).toMatch(
      /No embedding model is configured.*Probe with embeddings/,
    )
    // Drill-down: one probe prompt's continuations side by side, a column per generation, a row per seed.
    const samples = page.getByTestId('monitor-samples')
    expect(await samples.locator('thead th').count()).toBe(2)
    expect(await samples.locator('tbody tr').count()).toBe(8)
    await page.getByTestId('monitor-sample-prompt').selectOption({ index: 1 })
    expect((await samples.locator('tbody td').first().textContent())?.length).toBeGreaterThan(0)

    // The screens scroll inside the shell, so a full-page capture needs a window as tall as the dashboard.
    await mkdir(artifacts, { recursive: true })
    const height = await page.evaluate(() => document.querySelector('.monitor')?.scrollHeight ?? 860)
    await page.setViewportSize({ width: 1280, height: height + 120 })
    await page.screenshot({ path: join(artifacts, 'dashboard.png') })
    await page.setViewportSize({ width: 1280, height: 860 })

    // Keyboard: from the page heading, Tab reaches the errors alarm's button, with a visible focus ring.
    await page.getByRole('heading', { name: 'Collapse monitor' }).click()
    const reached = await tabUntil(
      page,
      `(() => { const item = document.activeElement?.closest('[data-testid="monitor-family"]');
        return item?.dataset.state === 'alarm' && /Errors/.test(item.querySelector('h4')?.textContent ?? '') })()`,
    )
    expect(reached).toBe(true)
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement
      return {
        text: active.textContent ?? '',
        outline: getComputedStyle(active).outlineStyle,
        isFocusVisible: active.matches(':focus-visible'),
      }
    })
    expect(focused.text).toMatch(/held-out perplexity chart/)
    expect(focused.isFocusVisible).toBe(true)
    expect(focused.outline).not.toBe('none')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chart-heldOut.perplexity')
    await page.screenshot({ path: join(artifacts, 'alarm-focused.png') })

    // The report goes out as JSON and standalone HTML into a folder typed on the screen.
    const out = join(work, 'reports')
    await mkdir(out)
    await page.getByTestId('monitor-export-folder').fill(out)
    await page.getByTestId('monitor-export').click()
    await expect.poll(() => page.getByTestId('monitor-notice').textContent()).toMatch(/Wrote .*\.html/)
    expect((await readdir(out)).sort()).toEqual([
      expect.stringMatching(/collapse report .*\.html$/),
      expect.stringMatching(/collapse report .*\.json$/),
    ])
  })
})
