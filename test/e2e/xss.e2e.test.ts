// Review bar: 500+ XSS payloads placed in samples (text, external id, metadata, a field name), import errors
// (through the file name and the malformed lines), candidates (answers from the model), edits, notes, flag
// notes and corrections, the project name and file names, then every view visited and scrolled in headless
// Chromium: 0 script executions, 0 dialogs, 0 requests leaving the app's origin, 0 navigations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import {
  appLaunchOptions,
  assertPrerequisites,
  cleanup,
  freePort,
  startHost,
  tempDir,
  type Host,
} from './harness'
import { createProject, importFile } from './app-driver'
import { LoopbackClient } from './loopback-client'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { fileNamePayload, markerPattern, xssPayloads } from '../factories/xss-payloads'
import { uuidv7 } from '@shared/ids/uuidv7'
import type { UnsealedDecision } from '@shared/domain/decision'

const samplePayloads = xssPayloads(0)
const candidatePayloads = xssPayloads(10_000)
const editPayloads = xssPayloads(20_000, 60)
const notePayloads = xssPayloads(30_000, 60)
const flagPayloads = xssPayloads(40_000, 60)
const projectPayload = xssPayloads(60_000, 1)[0]!
const uiPayloads = xssPayloads(70_000, 3)
const errorLines = 120
const fileName = fileNamePayload(50_000, 'jsonl')

/** Which place a marker number belongs to. */
const placeOf = (n: number): string =>
  (
    ({
      0: 'samples',
      1: 'candidates',
      2: 'edits',
      3: 'notes',
      4: 'flag notes',
      5: 'file names',
      6: 'project name',
      7: 'typed in the UI',
    }) as Record<number, string>
  )[Math.floor(n / 10_000)] ?? 'other'

/** Sits in front of the fake Ollama server and puts one payload into every generated answer. */
async function payloadProxy(target: FakeOllamaServer): Promise<{ url: string; server: Server }> {
  let next = 0
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(parts)
      const upstream = httpRequest(
        target.url + (req.url ?? '/'),
        { method: req.method, headers: { ...req.headers, host: new URL(target.url).host } },
        (reply) => {
          const chunks: Buffer[] = []
          reply.on('data', (chunk: Buffer) => chunks.push(chunk))
          reply.on('end', () => {
            let text = Buffer.concat(chunks).toString('utf8')
            const path = (req.url ?? '').split('?')[0]
            if ((path === '/api/generate' || path === '/api/chat') && reply.statusCode === 200) {
              const payload = candidatePayloads[next++ % candidatePayloads.length]!.text
              let injected = false
              text = text
                .split('\n')
                .map((line) => {
                  if (!line.startsWith('{') || injected) return line
                  const chunk = JSON.parse(line) as {
                    response?: string
                    message?: { content?: string }
                    logprobs?: { token: string }[]
                  }
                  if (chunk.response) chunk.response = `${payload} ${chunk.response}`
                  else if (chunk.message?.content)
                    chunk.message.content = `${payload} ${chunk.message.content}`
                  else return line
                  injected = true
                  if (chunk.logprobs?.[0])
                    chunk.logprobs[0].token = chunk.response ?? chunk.message?.content ?? ''
                  return JSON.stringify(chunk)
                })
                .join('\n')
            }
            const headers = { ...reply.headers }
            delete headers['content-length']
            res.writeHead(reply.statusCode ?? 500, headers)
            res.end(text)
          })
        },
      )
      upstream.on('error', () => res.destroy())
      upstream.end(body)
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

interface Watch {
  executions: number[]
  dialogs: string[]
  offOrigin: string[]
  navigations: string[]
  popups: number
  csp: string[]
  rendered: Set<number>
}

describe('hostile text everywhere', () => {
  let work: string
  let host: Host
  let context: BrowserContext
  let page: Page
  let ollama: FakeOllamaServer
  let proxy: { url: string; server: Server }
  let client: LoopbackClient
  const watch: Watch = {
    executions: [],
    dialogs: [],
    offOrigin: [],
    navigations: [],
    popups: 0,
    csp: [],
    rendered: new Set(),
  }
  const placed = new Map<string, number>()
  const place = (where: string, count: number): void => {
    placed.set(where, (placed.get(where) ?? 0) + count)
  }

  /** Records every payload marker now in the page's text or in its fields' values. */
  async function harvest(): Promise<void> {
    const text = await page.evaluate(() => {
      const values = [...document.querySelectorAll('input, textarea, select option')].map(
        (el) => (el as HTMLInputElement).value ?? '',
      )
      const titles = [...document.querySelectorAll('[title]')].map((el) => el.getAttribute('title') ?? '')
      return [document.body.textContent ?? '', ...values, ...titles].join('\n')
    })
    for (const match of text.matchAll(markerPattern)) watch.rendered.add(Number(match[1]))
  }

  /** Scrolls every scrollable element in steps, harvesting markers as rows render. */
  async function scrollAll(steps = 12): Promise<void> {
    for (let step = 0; step <= steps; step++) {
      await page.evaluate(
        ({ step, steps }) => {
          for (const el of document.querySelectorAll<HTMLElement>('*')) {
            if (el.scrollHeight > el.clientHeight + 4 && getComputedStyle(el).overflowY !== 'visible')
              el.scrollTop = ((el.scrollHeight - el.clientHeight) * step) / steps
          }
          window.scrollTo(0, (document.body.scrollHeight * step) / steps)
        },
        { step, steps },
      )
      await page.waitForTimeout(60)
      await harvest()
    }
  }

  /** Nothing ran, opened, left the origin or navigated so far: checked after every step, so a leak fails
   * where it happened and says what it was, not as a later timeout. */
  function expectClean(): void {
    expect({
      executions: watch.executions,
      dialogs: watch.dialogs,
      offOrigin: watch.offOrigin,
      navigations: watch.navigations,
      popups: watch.popups,
    }).toEqual({ executions: [], dialogs: [], offOrigin: [], navigations: [], popups: 0 })
  }

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-xss')
    ollama = await new FakeOllamaServer().start()
    proxy = await payloadProxy(ollama)
    host = await startHost(join(work, 'data'), await freePort())
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      ...(await appLaunchOptions()),
      viewport: { width: 1280, height: 860 },
    })
    await context.exposeFunction('__xssReport', (n: number) => watch.executions.push(n))
    await context.addInitScript(() => {
      const w = window as unknown as { __xss: (n: number) => void; __xssReport?: (n: number) => void }
      w.__xss = (n: number) => void w.__xssReport?.(n)
    })
    const origin = host.origin
    context.on('request', (request) => {
      const url = request.url()
      if (url.startsWith('data:') || url.startsWith('blob:')) {
        watch.offOrigin.push(url.slice(0, 120)) // the app loads nothing from data: or blob: URLs
        return
      }
      try {
        const u = new URL(url)
        const wsOrigin = origin.replace(/^http/, 'ws')
        if (u.origin !== origin && u.origin !== wsOrigin) watch.offOrigin.push(url)
      } catch {
        watch.offOrigin.push(url)
      }
    })
    context.on('page', () => watch.popups++)
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (error) => console.error('page error:', error.message))
    page.on('dialog', (dialog) => {
      watch.dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    page.on('popup', () => watch.popups++)
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) watch.csp.push(message.text())
    })
    await page.goto(host.url)
    await page.getByTestId('new-project-name').waitFor()
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) watch.navigations.push(frame.url())
    })
    client = await LoopbackClient.connect(host)
  })

  afterAll(async () => {
    client?.close()
    await context?.close()
    await host?.stop()
    await new Promise<void>((done) => (proxy ? proxy.server.close(() => done()) : done()))
    await ollama?.stop()
    await cleanup(work)
    console.log(
      'XSS placed per place:',
      Object.fromEntries(placed),
      '\nrendered markers per place:',
      Object.fromEntries(
        [...watch.rendered].reduce(
          (counts, n) => counts.set(placeOf(n), (counts.get(placeOf(n)) ?? 0) + 1),
          new Map<string, number>(),
        ),
      ),
      `\nexecutions ${watch.executions.length}, dialogs ${watch.dialogs.length}, off-origin ${watch.offOrigin.length}, navigations ${watch.navigations.length}, popups ${watch.popups}, CSP reports ${watch.csp.length}`,
    )
  })

  it('imports payloads as samples, ids, metadata, a field name and rejected lines', async () => {
    expect(samplePayloads.length).toBeGreaterThanOrEqual(500)
    expect(new Set(samplePayloads.map((p) => p.text)).size).toBe(samplePayloads.length)
    await createProject(page, projectPayload.text.slice(0, 100))
    place('project name', 1)
    const hostileKey = uiPayloads[0]!.text
    const lines = samplePayloads.map((p, i) =>
      JSON.stringify({ id: `${p.marker}#${i} ${p.text}`, text: p.text, meta: p.text, [hostileKey]: i }),
    )
    // Lines that fail to parse and start with a payload, so the reason quotes it (V8 quotes a few chars).
    for (let i = 0; i < errorLines; i++) {
      const p = samplePayloads[i]!
      lines.splice(10 + i * 4, 0, `${p.text.replace(/^XM\d+X /, '')} ${p.marker}`)
    }
    const path = join(work, fileName)
    await writeFile(path, lines.join('\n'))
    place('samples (text, id, meta)', samplePayloads.length * 3)
    place('field names', 1)
    place('import error lines', errorLines)
    place('file names', 1)
    const summary = await importFile(page, path, { textField: 'text', idField: 'id', origin: 'human' })
    expect(summary).toEqual({ imported: samplePayloads.length, duplicates: 0, rejected: errorLines })
    expect(await page.getByTestId('import-error').count()).toBe(errorLines)
    await scrollAll()
    await page.getByTestId('import-history').waitFor()
    await harvest()
    expectClean()
  })

  it('generates a candidate per sample whose answer is a payload', async () => {
    await page.getByTestId('nav-models').click()
    await page.getByTestId('ollama-host').fill(proxy.url)
    await page.getByTestId('ollama-host').press('Enter')
    await page.getByTestId('ollama-status').getByText(`Connected to Ollama ${ollama.version}`).waitFor()
    await harvest()
    await page.getByTestId('nav-generate').click()
    await page.getByTestId('template-preview').waitFor()
    await harvest()
    await page.locator('[data-testid="gen-model"][data-model="tiny:latest"]').check()
    await page.getByTestId('gen-temperatures').fill('0.7')
    await page.getByTestId('gen-k').fill('1')
    await page.locator(`[data-testid="gen-planned"][data-count="${samplePayloads.length}"]`).waitFor()
    await page.getByTestId('gen-start').click()
    await harvest()
    const progress = page.locator('[data-testid="gen-progress"][data-status="done"]')
    await progress.waitFor({ timeout: 180_000 })
    place('candidates', samplePayloads.length)
    await harvest()
    expectClean()
  })

  it('records edits, notes and flags whose texts are payloads', async () => {
    const [project] = (await client.call('projects.list', undefined as never)).filter((p) =>
      p.name.startsWith(projectPayload.marker),
    )
    expect(project).toBeDefined()
    const projectId = project!.id
    // The candidates as the renderer stored them (raw IndexedDB).
    let candidates: { id: string; sampleId: string; text: string }[] = []
    await expect
      .poll(
        async () => {
          candidates = await page.evaluate(async () => {
            const db = await new Promise<IDBDatabase>((done, fail) => {
              const request = indexedDB.open('winnow')
              request.onsuccess = () => done(request.result)
              request.onerror = () => fail(new Error(String(request.error)))
            })
            const rows = await new Promise<{ id: string; sampleId: string; text: string }[]>((done) => {
              const request = db.transaction('candidates').objectStore('candidates').getAll()
              request.onsuccess = () =>
                done(request.result as { id: string; sampleId: string; text: string }[])
            })
            db.close()
            return rows.map(({ id, sampleId, text }) => ({ id, sampleId, text }))
          })
          return candidates.length
        },
        { timeout: 60_000 },
      )
      .toBe(samplePayloads.length)
    const base = (candidate: (typeof candidates)[number]): Omit<UnsealedDecision, 'kind'> => ({
      id: uuidv7(),
      projectId,
      sampleId: candidate.sampleId,
      candidateId: null,
      editedText: null,
      diff: null,
      flag: null,
      note: null,
      undoes: null,
      annotator: 'me',
      at: new Date().toISOString(),
      timeSpentMs: 1000,
      shownOrder: [candidate.id],
    })
    for (let i = 0; i < editPayloads.length; i++) {
      const candidate = candidates[i]!
      const edited = editPayloads[i]!.text
      await client.call('review.decide', {
        projectId,
        decision: {
          ...base(candidate),
          kind: 'edit',
          candidateId: candidate.id,
          editedText: edited,
          diff: [
            { op: 'delete', text: candidate.text },
            { op: 'insert', text: edited },
          ],
        },
      })
      await client.call('review.decide', {
        projectId,
        decision: {
          ...base(candidate),
          kind: 'note',
          candidateId: candidate.id,
          note: notePayloads[i]!.text,
        },
      })
      const target = candidates[i + editPayloads.length]!
      await client.call('review.decide', {
        projectId,
        decision: {
          ...base(target),
          kind: 'flag',
          candidateId: target.id,
          flag: { reason: 'other', note: flagPayloads[i]!.text, correction: flagPayloads[i]!.text },
        },
      })
    }
    place('edits', editPayloads.length)
    place('notes', notePayloads.length)
    place('flag notes and corrections', flagPayloads.length * 2)
    const verdict = await client.call('review.verify', { projectId })
    expect(verdict.ok).toBe(true)
    expectClean()
  })

  it('shows every view without running, fetching or navigating anything', async () => {
    // Browse: the list, scrolled, and a dozen samples' detail with provenance expanded.
    await page.getByTestId('nav-browse').click()
    await page.getByTestId('sample-row').first().waitFor()
    await scrollAll(20)
    expectClean()
    for (const query of ['onerror', 'script', 'javascript', '%3C', '&lt;']) {
      await page.getByTestId('search-input').fill(query)
      await page.waitForTimeout(300)
      await scrollAll(4)
    }
    await page.getByTestId('search-input').fill('')
    await page.waitForTimeout(300)
    for (let i = 0; i < 12; i++) {
      const row = page.getByTestId('sample-row').nth(i)
      if (!(await row.isVisible())) break
      await row.click()
      await page.getByTestId('sample-detail').waitFor()
      await page
        .getByTestId('candidate-provenance')
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(() => {})
      for (const summary of await page.getByTestId('candidate-provenance').locator('summary').all())
        await summary.click()
      await harvest()
    }
    await scrollAll(4)

    // Generate: the template preview with each template.
    await page.getByTestId('nav-generate').click()
    await page.getByTestId('template-preview').waitFor()
    const templates = await page.getByTestId('template-select').locator('option').count()
    for (let i = 0; i < templates; i++) {
      await page.getByTestId('template-select').selectOption({ index: i })
      await harvest()
    }

    // Review: text, diff and confidence views over many samples; the flag, note and edit dialogs.
    await page.getByTestId('nav-review').click()
    await page.getByTestId('review-sample').waitFor({ timeout: 30_000 })
    expectClean()
    for (let i = 0; i < 40; i++) {
      for (const mode of ['text', 'diff', 'confidence']) {
        await page.getByTestId(`mode-${mode}`).check()
        await harvest()
      }
      const before = await page.getByTestId('review-sample').getAttribute('data-sample-id')
      const next = page.getByTestId('next-sample')
      if (!(await next.isEnabled().catch(() => false))) break
      await next.click()
      await expect
        .poll(() => page.getByTestId('review-sample').getAttribute('data-sample-id'))
        .not.toBe(before)
    }
    await page.locator('body').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('f')
    await page.getByTestId('flag-dialog').waitFor()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('flag-reason')
    await page.keyboard.press('ArrowDown') // a reason, so the flag can be saved
    await page.getByTestId('flag-note').fill(uiPayloads[1]!.text)
    await page.getByTestId('flag-correction').fill(uiPayloads[1]!.text)
    await harvest()
    await page.getByTestId('flag-confirm').click()
    await page.getByTestId('flag-dialog').waitFor({ state: 'detached' })
    await page.keyboard.press('e')
    await page.getByTestId('edit-text').waitFor()
    await page.getByTestId('edit-text').fill(uiPayloads[2]!.text)
    await page.getByTestId('edit-diff').locator('ins').first().waitFor()
    await harvest()
    await page.getByTestId('edit-save').click()
    await page.getByTestId('edit-panel').waitFor({ state: 'detached' })
    place('typed in the UI', 3)
    for (const mode of ['text', 'diff', 'confidence']) {
      await page.getByTestId(`mode-${mode}`).check()
      await harvest()
    }
    await page.getByTestId('verify-provenance').click()
    await page.getByTestId('verify-result').waitFor()

    // Jobs, Models and Projects.
    await page
      .getByTestId('jobs-panel')
      .waitFor({ timeout: 5_000 })
      .catch(() => {})
    await harvest()
    await page.getByTestId('nav-models').click()
    await page.getByTestId('model-row').first().waitFor()
    await harvest()
    await page.getByTestId('nav-import').click()
    await scrollAll(4)
    await page.getByTestId('nav-projects').click()
    await page.getByTestId('project-row').first().waitFor()
    await harvest()
    await page.waitForTimeout(1000) // let any late network or timer fire

    expectClean()
    expect(await page.evaluate(() => location.origin)).toBe(host.origin)
    expect(watch.rendered.size).toBeGreaterThanOrEqual(500)
  })
})
