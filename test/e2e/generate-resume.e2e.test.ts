// Generation end to end in Chromium over the loopback transport, against the fake Ollama server writing at
// a visible pace: 3 candidates × 2 models × 2 temperatures for 20 samples (240). Watch candidates stream,
// cancel, resume, then kill the main side mid-job, restart it and resume: every slot ends with exactly
// one complete candidate (0 duplicated, 0 lost), each with its provenance in the sample view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { readLogEvent } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
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
import { createProject, importFile, openProject, connectOllama, startGeneration } from './app-driver'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { openTestServices } from '../fakes/test-services'

const SAMPLES = 20
const PLANNED = SAMPLES * 2 * 2 * 3
const PROJECT = 'Generation resume'

async function completeCount(page: Page): Promise<number> {
  const text = await page.getByTestId('gen-count-complete').textContent()
  return Number((text ?? '0').replace(/\D/g, ''))
}

async function waitForComplete(page: Page, atLeast: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const count = await completeCount(page)
    if (count >= atLeast) return count
    if (Date.now() > deadline) throw new Error(`only ${count} complete after ${timeoutMs} ms`)
    await page.waitForTimeout(100)
  }
}

describe('generation: stream, cancel, resume, kill and resume', () => {
  let work: string
  let port: number
  let host: Host | null = null
  let app: Browser | null = null
  let ollama: FakeOllamaServer

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-generate-resume')
    const corpus = join(work, 'corpus.jsonl')
    const lines = Array.from({ length: SAMPLES }, (_, i) =>
      JSON.stringify({ id: `s${i}`, text: `Story ${i}: the fox found a lantern.` }),
    )
    await writeFile(corpus, lines.join('\n'))
    ollama = await new FakeOllamaServer().start()
    port = await freePort()
    host = await startHost(join(work, 'data'), port)
    app = await openApp(join(work, 'profile'), host.url)
    await createProject(app.page, PROJECT)
    const summary = await importFile(app.page, corpus, { textField: 'text', idField: 'id', origin: 'human' })
    expect(summary.imported).toBe(SAMPLES)
    await connectOllama(app.page, ollama.url)
  })

  afterAll(async () => {
    await app?.close()
    await host?.stop()
    await ollama?.stop()
    await cleanup(work)
  })

  it('streams candidates, cancels, resumes, survives a killed main side, and loses or doubles nothing', async () => {
    const page = app!.page
    // 12 tokens, 15 ms apart: about 0.2 s a candidate, two at a time, so the job runs for ~25 s.
    ollama.chunkDelayMs = 15
    await startGeneration(page, {
      models: ['tiny:latest', 'thinker:latest'],
      temperatures: '0.5, 1',
      perCell: 3,
      maxTokens: 12,
      planned: PLANNED,
    })

    // Streaming: a candidate's text is seen growing before it is complete.
    const stream = page.getByTestId('gen-stream').first()
    await stream.waitFor({ timeout: 30_000 })
    const seen = new Set<string>()
    for (let i = 0; i < 40 && seen.size < 3; i++) {
      seen.add((await stream.getByTestId('gen-stream-text').textContent()) ?? '')
      await page.waitForTimeout(40)
    }
    expect(seen.size).toBeGreaterThan(1)

    // Cancel part-way: the job stops short of the plan.
    await waitForComplete(page, 30)
    await page.getByTestId('gen-cancel').click()
    await page.locator('[data-testid="gen-progress"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
    const afterCancel = await completeCount(page)
    expect(afterCancel).toBeLessThan(PLANNED)
    expect(await page.getByTestId('gen-stream').count()).toBe(0)

    // Resume: finished slots are skipped, the rest generated.
    await page.getByTestId('gen-resume').click()
    await page.locator('[data-testid="gen-progress"][data-status="running"]').waitFor({ timeout: 10_000 })
    await waitForComplete(page, 40)

    // Kill the main side mid-job, start it again on the same data, reopen the app, resume.
    await app!.close()
    app = null
    await host!.kill()
    host = await startHost(join(work, 'data'), port)
    app = await openApp(join(work, 'profile'), host.url)
    const again = app.page
    await openProject(again, PROJECT)
    await again.getByTestId('nav-generate').click()
    await again
      .locator('[data-testid="gen-progress"][data-status="interrupted"]')
      .waitFor({ timeout: 30_000 })
    ollama.chunkDelayMs = 0
    await again.getByTestId('gen-resume').click()
    const done = again.locator('[data-testid="gen-progress"][data-status="done"]')
    await done.waitFor({ timeout: 120_000 })
    const complete = await completeCount(again)
    const skipped = Number(
      ((await done.getByTestId('gen-count-skipped').textContent()) ?? '').replace(/\D/g, ''),
    )
    expect(complete + skipped).toBe(PLANNED)
    expect(await done.getByTestId('gen-count-failed').textContent()).toBe('0')

    // Every candidate's provenance is in the sample view: 2 models × 2 temperatures × 3, all complete.
    await again.getByTestId('nav-browse').click()
    await again.getByTestId('sample-row').first().click()
    const shown = again.locator(
      '[data-testid="sample-candidates"] [data-testid="candidate"][data-status="complete"]',
    )
    await shown.nth(11).waitFor({ timeout: 60_000 })
    expect(await shown.count()).toBe(12)
    expect(await again.getByTestId('candidate-provenance').count()).toBeGreaterThanOrEqual(12)

    await app.close()
    app = null
    await host.stop()
    host = null

    // The log, read directly: one complete candidate per slot, none missing, none twice.
    const services = await openTestServices(join(work, 'data'))
    try {
      const [project] = await services.handlers['projects.list']({})
      const candidates: CandidateRecord[] = []
      for (let after = 0; ;) {
        const { events } = await services.handlers['log.read']({
          projectId: project!.id,
          afterSeq: after,
          maxEvents: 1000,
          maxBytes: 8 * 1024 * 1024,
        })
        if (events.length === 0) break
        for (const event of events) {
          const typed = readLogEvent(event)
          if (typed?.kind === 'candidates.recorded') candidates.push(...typed.data.candidates)
        }
        after = events.at(-1)!.seq
      }
      const completeBySlot = new Map<string, number>()
      for (const candidate of candidates.filter((c) => c.status === 'complete'))
        completeBySlot.set(candidate.slot, (completeBySlot.get(candidate.slot) ?? 0) + 1)
      const duplicated = [...completeBySlot.values()].filter((n) => n > 1).length
      expect({ slots: completeBySlot.size, duplicated }).toEqual({ slots: PLANNED, duplicated: 0 })
      expect(new Set(candidates.map((c) => c.jobId)).size).toBe(1)
    } finally {
      await services.close()
    }
  }, 300_000)
})
