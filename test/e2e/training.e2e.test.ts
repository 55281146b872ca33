// Issue 6, the fine-tune screen in Chromium over the loopback transport, with the real services: the empty
// state says what to do; with a frozen export and generation 0 registered, a run is started from the form
// with a custom-command recipe (a trainer double, test/fakes/fake-trainer.mjs, a real child process); its
// progress bar, loss chart and log tail move while it trains; when it ends, the run is listed as done and
// generation 1 appears in the lineage with the dataset it was trained on and its run; a candidate its model
// wrote leads back to it from the sample view. A screenshot of the screen goes to test-results/training/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
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
import { createProject } from './app-driver'
import { LoopbackClient } from './loopback-client'
import { generationSpecFor } from '../factories/generation-spec'
import { jsonlImportSpec } from '../factories/import-spec'

const fakeTrainer = resolve(import.meta.dirname, '../fakes/fake-trainer.mjs')
const artifacts = resolve(import.meta.dirname, '../../test-results/training')
const STEPS = 40

/** Tabs forward until the focused element's accessible label matches, at most `limit` times. */
async function tabTo(page: Browser['page'], label: RegExp, limit = 120): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(
      () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
    )
    if (label.test(focused)) return true
  }
  return false
}

describe('fine-tune screen', () => {
  let work: string
  let host: Host
  let app: Browser
  let client: LoopbackClient

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-training')
    host = await startHost(join(work, 'data'), await freePort())
    app = await openApp(join(work, 'profile'), host.url)
    client = await LoopbackClient.connect(host)
  }, 120_000)

  afterAll(async () => {
    client?.close()
    await app?.close()
    await host?.stop()
    if (work) await cleanup(work)
  })

  it('starts a run, shows its progress, loss chart and log, and the new generation in the lineage', async () => {
    const { page } = app
    await createProject(page, 'Stories')
    await page.getByTestId('nav-training').click()
    const empty = page.getByTestId('training-empty')
    await expect.poll(() => empty.textContent()).toMatch(/export a dataset on the Datasets screen/)
    expect(await empty.textContent()).toMatch(/register your base model .* as generation 0/)

    // A frozen export and generation 0, through the same services the screens use.
    const projectId = (await client.call('projects.list', {})).find((p) => p.name === 'Stories')!.id
    const exports = join(work, 'exports')
    await mkdir(exports)
    const { exportId } = await client.call('export.open', { projectId, folder: exports, name: 'stories v1' })
    const rows = ['Once upon a time, a cat sat.', 'Tom saw a big red ball.', 'Lily liked to play.']
    await client.call('export.write', {
      exportId,
      file: 'sft-messages/train.jsonl',
      text: rows
        .map(
          (text) =>
            `${JSON.stringify({
              messages: [
                { role: 'user', content: 'Tell a story.' },
                { role: 'assistant', content: text },
              ],
            })}\n`,
        )
        .join(''),
    })
    await client.call('export.finish', {
      exportId,
      snapshot: {
        name: 'stories v1',
        formats: ['sft-messages'],
        spec: {},
        formatOptions: {},
        logSeq: 1,
        splits: { train: ['a', 'b', 'c'], test: [] },
        counts: {
          rows: { 'sft-messages': 3 },
          bySplit: { train: 3 },
          byOrigin: { model: 3 },
          byDepth: { '1': 3 },
          byGeneration: { '0': 3 },
        },
        warnings: [],
      },
      extraFiles: {},
    })
    const base = join(work, 'base.gguf')
    await writeFile(base, 'GGUF a stand-in base model\n')
    await client.call('monitor.register', {
      projectId,
      generation: {
        label: 'tiny',
        parentId: null,
        engine: 'llamacpp',
        ggufPath: base,
        ollama: null,
        trainingSnapshotId: null,
      },
    })

    // The screen reads again when it is opened.
    await page.getByTestId('nav-browse').click()
    await page.getByTestId('nav-training').click()
    // A Python recipe asks for its base model in Hugging Face form, and shows main refusing one it cannot load.
    await page.getByTestId('training-recipe').selectOption('trl-lora')
    await page.getByTestId('training-python').fill(process.execPath)
    await expect
      .poll(() => page.getByTestId('training-blocker').textContent())
      .toMatch(/Enter the base model: a Hugging Face id such as Qwen\/Qwen2\.5-0\.5B-Instruct/)
    expect(await page.getByTestId('training-base-model-hint').textContent()).toMatch(
      /same base model the parent's Ollama model was made from/,
    )
    await page.getByTestId('training-base-model').fill(join(work, 'no such model'))
    await page.getByTestId('training-start').click()
    await expect
      .poll(() => page.getByTestId('training-start-error').textContent())
      .toMatch(/Not started: Base model for .*: there is no .*no such model/)
    await page.getByTestId('training-recipe').selectOption('llamacpp-finetune')
    expect(await page.getByTestId('training-base-model').count()).toBe(0)
    expect(await page.getByTestId('training-start-error').count()).toBe(0)

    await page.getByTestId('training-recipe').selectOption('custom')
    await expect
      .poll(() => page.getByTestId('training-readiness').textContent())
      .toMatch(/Type your trainer command/)
    expect(await page.getByTestId('training-start').isDisabled()).toBe(true)
    expect(await page.getByTestId('training-blocker').textContent()).toMatch(/Type your trainer command/)
    const command = [
      process.execPath,
      fakeTrainer,
      '--data',
      '{dataset}',
      '--output',
      '{output}',
      '--config',
      '{config}',
    ]
    await page
      .getByTestId('training-command')
      .fill([...command, '--steps', String(STEPS), '--delay-ms', '300'].join('\n'))
    await page.getByTestId('training-hp-epochs').fill('2')
    await page.getByTestId('training-start').click()

    // While it trains: the bar moves, the status names the step and loss, the chart draws, the log tails.
    const current = page.getByTestId('training-current')
    await current.waitFor({ timeout: 30_000 })
    // The form keeps its choices for the next run.
    expect(await page.getByTestId('training-recipe').inputValue()).toBe('custom')
    expect(await page.getByTestId('training-hp-epochs').inputValue()).toBe('2')
    await expect
      .poll(
        async () => Number(await current.getByTestId('training-progress').getAttribute('aria-valuenow')),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0)
    await expect
      .poll(() => current.getByTestId('training-status').textContent())
      .toMatch(new RegExp(`Step \\d+ of ${STEPS} · loss \\d`))
    await current.getByTestId('loss-line').waitFor()
    await expect
      .poll(async () => Number(await current.getByTestId('loss-chart').getAttribute('data-points')))
      .toBeGreaterThan(2)
    expect(await current.getByTestId('loss-chart').locator('svg').getAttribute('aria-label')).toMatch(
      /Training loss from step \d+ to step \d+, now \d/,
    )
    await expect.poll(() => current.getByTestId('training-log').textContent()).toMatch(/step \d+: training/)
    await mkdir(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'training-running.png'), fullPage: true })

    // When it ends: the run is done, and generation 1 is in the lineage with its dataset and run.
    await page.locator('[data-testid="training-run"][data-status="done"]').waitFor({ timeout: 60_000 })
    expect(await current.count()).toBe(0)
    const g1 = page.locator('[data-testid="lineage-generation"][data-generation="1"]')
    await g1.waitFor()
    expect(await g1.getByRole('heading').first().textContent()).toMatch(/Generation 1 · tiny · g1/)
    expect(await g1.getByTestId('lineage-dataset').textContent()).toMatch(
      /Trained on stories v1: 3 train \/ 0 test · 3 model/,
    )
    expect(await g1.getByTestId('lineage-run').textContent()).toMatch(/Custom command.*epochs 2/s)
    expect(await g1.getByTestId('lineage-probe').textContent()).toMatch(/Not probed yet/)
    // Generation 1 hangs under generation 0 in the tree.
    expect(
      await page
        .locator(
          '[data-testid="lineage-generation"][data-generation="0"] [data-testid="lineage-generation"][data-generation="1"]',
        )
        .count(),
    ).toBe(1)
    await page.screenshot({ path: join(artifacts, 'training-done.png'), fullPage: true })

    // By keyboard alone: from the top of the page to generation 1's way to the monitor, and through it.
    await page.getByTestId('nav-training').focus()
    expect(await tabTo(page, /Open generation 1 \(tiny · g1\) in the collapse monitor/)).toBe(true)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Collapse monitor' }).waitFor()

    // The registered generation is the monitor's too: one registry.
    const report = await client.call('monitor.report', { projectId })
    expect(report.generations.map((g) => [g.generation, g.label])).toEqual([
      [0, 'tiny'],
      [1, 'tiny · g1'],
    ])

    // A candidate written with generation 1's model leads back to it: from the sample view's provenance to
    // generation 1 in the lineage, scrolled to, focused and marked. (The stand-in GGUF cannot generate, so the
    // candidate fails — and a failure is recorded with its provenance like any candidate.)
    const g1Path = (await client.call('training.overview', { projectId })).generations.find(
      (g) => g.generation === 1,
    )?.ggufPath
    if (!g1Path) throw new Error('generation 1 has no GGUF path')
    const corpus = join(work, 'stories.jsonl')
    await writeFile(corpus, `${JSON.stringify({ id: 'fox', text: 'A fox found a lantern by the river.' })}\n`)
    const settled = async (jobId: string): Promise<void> => {
      await expect
        .poll(
          async () => (await client.call('jobs.list', { projectId })).find((j) => j.id === jobId)?.status,
          {
            timeout: 60_000,
          },
        )
        .toMatch(/done|failed/)
    }
    const imported = await client.call('import.start', {
      projectId,
      spec: jsonlImportSpec(corpus),
    })
    await settled(imported.jobId)
    const generated = await client.call('generation.start', {
      projectId,
      spec: generationSpecFor('http://127.0.0.1:11434', {
        models: [{ engine: 'llamacpp', modelPath: g1Path, model: 'tiny · g1' }],
        temperatures: [1],
        candidatesPerCell: 1,
      }),
    })
    await settled(generated.jobId)
    await page.getByTestId('nav-browse').click()
    await page.getByTestId('sample-row').first().click()
    const provenance = page.getByTestId('candidate-provenance').first()
    await provenance.waitFor({ timeout: 60_000 })
    await provenance.locator('summary').first().click()
    expect(await provenance.getByTestId('candidate-generation').textContent()).toMatch(/1\s*·\s*tiny · g1/)
    await provenance.getByTestId('candidate-generation-lineage').click()
    await page
      .locator('[data-testid="lineage-generation"][data-generation="1"][data-focused="true"]')
      .waitFor()
    await expect
      .poll(() =>
        page.evaluate(() =>
          document.activeElement
            ?.closest('[data-testid="lineage-generation"]')
            ?.getAttribute('data-generation'),
        ),
      )
      .toBe('1')
    expect(await page.locator('[data-testid="lineage-generation"][data-focused="true"]').count()).toBe(1)
  })
})
