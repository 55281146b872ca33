// One crash run: a project with candidates, a keyboard review session, and at each kill point a random
// kill — main's host process (SIGKILL), Chromium's browser process (SIGKILL), the renderer (CDP Page.crash)
// or the window (page or browser closed) — a random delay after a random key, half of the points with a
// generation job streaming candidates. After each, only what died is restarted, start-up recovery runs, and
// the log and store are checked (checks.ts). The tally is what the bar reports.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { cleanup, freePort, tempDir, type Host } from '../e2e/harness'
import { createProject, importFile, openProject, waitForSyncIdle } from '../e2e/app-driver'
import { LoopbackClient } from '../e2e/loopback-client'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { generationSpecFor } from '../factories/generation-spec'
import { compareStore, LogDecisions, probeDecisionRows, readStore } from './checks'
import { enterReview, pickAction, pressAction } from './keyboard'
import { seeded, type Random } from './prng'
import { defaultRendererDir, killChromium, launchChromium, startHostWith } from './processes'

export type KillKind = 'host-sigkill' | 'browser-sigkill' | 'renderer-crash' | 'window-close'
const killKinds: readonly KillKind[] = ['host-sigkill', 'browser-sigkill', 'renderer-crash', 'window-close']

export interface CrashRunOptions {
  name: string
  seed: number
  killPoints: number
  samples?: number
  rendererDir?: string
  hostEnv?: Record<string, string>
  /** Longest pause between a key and the kill. */
  maxKillDelayMs?: number
  /** Stop before killPoints once this holds (a broken build, once caught). */
  stopWhen?: (tally: Tally) => boolean
}

export interface Tally {
  killPoints: number
  acked: number
  lost: number
  mismatches: number
  wipesDetected: number
  wipesRepaired: number
  /** Not in the bar's line: wipes the harness saw itself (rows gone before the app ran), and with no notice. */
  wipesObserved: number
  wipesUndetected: number
  withGeneration: number
  byKind: Record<KillKind, number>
  /** The first few disagreements and losses, for the failure message. */
  examples: string[]
}

const PROJECT = 'Crash durability'
const log = (line: string): void => console.info(`[crash] ${line}`)

export async function runCrashSession(options: CrashRunOptions): Promise<Tally> {
  const random = seeded(options.seed)
  const samples = options.samples ?? 300
  const rendererDir = options.rendererDir ?? defaultRendererDir
  const hostEnv = options.hostEnv ?? {}
  const maxKillDelayMs = options.maxKillDelayMs ?? 400
  const tally: Tally = {
    killPoints: 0,
    acked: 0,
    lost: 0,
    mismatches: 0,
    wipesDetected: 0,
    wipesRepaired: 0,
    wipesObserved: 0,
    wipesUndetected: 0,
    withGeneration: 0,
    byKind: { 'host-sigkill': 0, 'browser-sigkill': 0, 'renderer-crash': 0, 'window-close': 0 },
    examples: [],
  }
  const work = await tempDir(`crash-${options.name}`)
  const profile = join(work, 'profile')
  const dataDir = join(work, 'data')
  const port = await freePort()
  const ollama = await new FakeOllamaServer().start()
  let host: Host = await startHostWith(dataDir, port, rendererDir, hostEnv)
  let client = await LoopbackClient.connect(host)
  let context: BrowserContext = await launchChromium(profile)

  // Acknowledged = shown "saved". Recorded here as the page shows it, and only while nothing is being killed.
  const acked = new Set<string>()
  let isListening = true
  const watchAcks = async (target: BrowserContext): Promise<void> => {
    await target.exposeBinding('__crashAck', (_source, id: string) => {
      if (isListening) acked.add(id)
    })
    await target.addInitScript(() => {
      const sent = new Set<string>()
      const report = (window as unknown as { __crashAck: (id: string) => void }).__crashAck
      const scan = (): void => {
        for (const item of document.querySelectorAll(
          '[data-testid="decision-status"][data-status="saved"]',
        )) {
          const id = item.getAttribute('data-decision-id')
          if (id === null || sent.has(id)) continue
          sent.add(id)
          report(id)
        }
      }
      new MutationObserver(scan).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-status'],
      })
    })
  }
  await watchAcks(context)
  let page: Page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  let projectId = ''
  const logged = new LogDecisions()
  const mismatched = new Set<string>()
  const lostIds = new Set<string>()
  let lastStoreRows = 0
  let jobId: string | null = null
  let jobRound = 0
  /** Set by recover(): the probe found the store emptier than the last check left it. */
  let sawWipe = false

  const jobStatus = async (): Promise<string | null> =>
    jobId === null
      ? null
      : ((await client.call('jobs.list', { projectId })).find((job) => job.id === jobId)?.status ?? null)

  const waitForJob = async (
    want: (status: string | null) => boolean,
    timeoutMs: number,
  ): Promise<string | null> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const status = await jobStatus()
      if (want(status) || Date.now() > deadline) return status
      await new Promise((done) => setTimeout(done, 100))
    }
  }

  let sampleIds: string[] = []
  /** A job streaming slowly into the samples at the end of the queue, started, resumed or cancelled per point. */
  const setGeneration = async (on: boolean): Promise<void> => {
    const status = await jobStatus()
    if (!on) {
      if (status === 'running' || status === 'queued') {
        await client.call('jobs.cancel', { jobId: jobId! })
        await waitForJob((s) => s !== 'running' && s !== 'queued', 10_000)
      }
      return
    }
    if (status === 'running' || status === 'queued') return
    if (status === 'cancelled' || status === 'interrupted')
      await client.call('jobs.resume', { jobId: jobId! })
    else {
      jobRound += 1
      const spec = generationSpecFor(ollama.url, {
        sampleIds: sampleIds.slice(-Math.floor(sampleIds.length / 2)).reverse(),
        models: [{ engine: 'ollama', host: ollama.url, model: 'tiny:latest' }],
        temperatures: [Number((0.5 + jobRound / 10).toFixed(2))],
        candidatesPerCell: 10,
        maxTokens: 8,
        concurrency: 2,
      })
      jobId = (await client.call('generation.start', { projectId, spec })).jobId
    }
    await waitForJob((s) => s === 'running', 10_000)
  }

  /** Loads the app on the page, opens the project, lets start-up recovery finish; answers the notice. */
  const recover = async (afterBrowserStart: boolean): Promise<string | null> => {
    sawWipe = false
    if (afterBrowserStart) {
      // An empty page on the app's origin (so it sees the app's IndexedDB) that runs none of the app's code.
      const probe = `${host.origin}/crash-probe`
      await page.route(probe, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html>' }))
      await page.goto(probe)
      await page.unroute(probe)
      const rows = await probeDecisionRows(page)
      if (rows < lastStoreRows) {
        tally.wipesObserved += 1
        sawWipe = true
        log(`store lost rows before the app ran: ${rows} decision rows of ${lastStoreRows}`)
      }
    }
    const head = await client.call('log.head', { projectId })
    // A new host differs only in the URL's #token: leave first, so the app really loads again.
    await page.goto('about:blank')
    await page.goto(host.url)
    await openProject(page, PROJECT)
    const deadline = Date.now() + 90_000
    while ((await readStore(page, projectId)).lastSeq < head.lastSeq && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 100))
    await waitForSyncIdle(page, 90_000)
    const notice = page.getByTestId('notice')
    return (await notice.count()) > 0 ? await notice.first().textContent() : null
  }

  /** Checks (a) and (b); true when this check found nothing wrong. */
  const verify = async (): Promise<boolean> => {
    await logged.catchUp(client, projectId)
    let ok = true
    for (const id of acked) {
      if (logged.ids.has(id) || lostIds.has(id)) continue
      lostIds.add(id)
      ok = false
      if (tally.examples.length < 10) tally.examples.push(`acknowledged decision ${id} is not in the log`)
    }
    const snapshot = await readStore(page, projectId)
    lastStoreRows = snapshot.decisionRows
    const disagreements = compareStore(snapshot, logged.bySeq, projectId)
    for (const { sampleId, what } of disagreements) {
      ok = false
      mismatched.add(sampleId)
      if (tally.examples.length < 10) tally.examples.push(`sample ${sampleId}: ${what}`)
    }
    tally.acked = acked.size
    tally.lost = lostIds.size
    tally.mismatches = mismatched.size
    return ok
  }

  try {
    // The project, its samples (through the UI) and two short candidates each (over the loopback transport).
    const corpus = join(work, 'corpus.jsonl')
    const lines = Array.from({ length: samples }, (_, i) =>
      JSON.stringify({
        id: `s${String(i).padStart(4, '0')}`,
        text: `Story ${i}: a heron waited by the weir.`,
      }),
    )
    await writeFile(corpus, lines.join('\n'))
    await page.goto(host.url)
    await createProject(page, PROJECT)
    await importFile(page, corpus, { textField: 'text', idField: 'id', origin: 'human' })
    projectId = (await client.call('projects.list', {})).find((p) => p.name === PROJECT)!.id
    const first = await client.call('generation.start', {
      projectId,
      spec: generationSpecFor(ollama.url, {
        models: [{ engine: 'ollama', host: ollama.url, model: 'tiny:latest' }],
        temperatures: [0.7],
        candidatesPerCell: 2,
        maxTokens: 4,
        concurrency: 4,
      }),
    })
    jobId = first.jobId
    if ((await waitForJob((s) => s === 'done', 120_000)) !== 'done')
      throw new Error('set-up generation did not finish')
    sampleIds = await page.evaluate(async (projectId) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open('winnow')
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(new Error(String(request.error)))
      })
      // Keys are [projectId, id] (schema v9): read the rows' own fields rather than decode keys.
      const rows = await new Promise<{ id: string; projectId: string }[]>((done) => {
        const request = db.transaction('samples').objectStore('samples').getAll()
        request.onsuccess = () => done(request.result as { id: string; projectId: string }[])
      })
      db.close()
      return rows.filter((row) => row.projectId === projectId).map((row) => row.id)
    }, projectId)
    if (sampleIds.length !== samples)
      throw new Error(`the store holds ${sampleIds.length} samples, not ${samples}`)
    ollama.chunkDelayMs = 25 // the streaming job writes at a visible pace: ~0.2 s a candidate
    await recover(false)
    await enterReview(page)

    // Exactly half the points with the job streaming, in a seeded order.
    const plan = Array.from({ length: options.killPoints }, (_, i) => i % 2 === 0)
    for (let i = plan.length - 1; i > 0; i--) {
      const j = random.int(0, i)
      ;[plan[i], plan[j]] = [plan[j]!, plan[i]!]
    }

    for (const [point, withGeneration] of plan.entries()) {
      const times: number[] = [Date.now()]
      await setGeneration(withGeneration)
      times.push(Date.now())
      const presses = random.int(1, 5)
      for (let n = 0; n < presses; n++) {
        await pressAction(page, pickAction(random), random)
        if (n < presses - 1) await page.waitForTimeout(random.int(20, 250))
      }
      if (withGeneration && (await jobStatus()) === 'running') tally.withGeneration += 1
      await new Promise((done) => setTimeout(done, random.int(0, maxKillDelayMs)))
      times.push(Date.now())
      const kind = random.pick(killKinds)
      tally.byKind[kind] += 1
      tally.killPoints += 1

      // The kill. From here on nothing the page shows counts as acknowledged.
      isListening = false
      let browserRestarted = false
      if (kind === 'host-sigkill') {
        client.close()
        await host.kill()
        host = await startHostWith(dataDir, port, rendererDir, hostEnv)
        client = await LoopbackClient.connect(host)
      } else if (kind === 'browser-sigkill' || (kind === 'window-close' && random() < 0.5)) {
        if (kind === 'browser-sigkill') await killChromium(profile, context)
        else await context.close() // the window closed, and the app with it
        context = await launchChromium(profile)
        await watchAcks(context)
        page = await context.newPage()
        browserRestarted = true
      } else {
        const old = page
        if (kind === 'renderer-crash') {
          const crashed = new Promise<void>((done) => old.once('crash', () => done()))
          const cdp = await context.newCDPSession(old)
          // Page.crash never answers: the renderer is gone before it can.
          void cdp.send('Page.crash').catch(() => undefined)
          await Promise.race([crashed, new Promise((done) => setTimeout(done, 5_000))])
        }
        await old.close({ runBeforeUnload: false }).catch(() => undefined)
        page = await context.newPage()
      }
      page.on('pageerror', (error) => console.error('page error:', error.message))
      isListening = true
      times.push(Date.now())

      const notice = await recover(browserRestarted)
      times.push(Date.now())
      const isWipe = notice !== null && /rebuilt from the project log/i.test(notice)
      const ok = await verify()
      times.push(Date.now())
      if (isWipe) {
        tally.wipesDetected += 1
        if (ok) tally.wipesRepaired += 1
      } else if (sawWipe) {
        tally.wipesUndetected += 1
        if (tally.examples.length < 10) tally.examples.push(`point ${point + 1}: store wiped, no notice`)
      }
      log(
        `point ${point + 1}/${plan.length} ${kind}${withGeneration ? ' +generation' : ''}: acked ${tally.acked}, ` +
          `logged ${logged.ids.size}, lost ${tally.lost}, mismatches ${tally.mismatches}` +
          (isWipe ? `, wipe rebuilt (${notice})` : '') +
          ` [ms: job ${times[1]! - times[0]!}, keys ${times[2]! - times[1]!}, kill ${times[3]! - times[2]!}, ` +
          `recover ${times[4]! - times[3]!}, check ${times[5]! - times[4]!}]`,
      )
      if (options.stopWhen?.(tally)) break
      const entering = Date.now()
      await enterReview(page)
      if (Date.now() - entering > 2_000) log(`entering review took ${Date.now() - entering} ms`)
    }
    return tally
  } finally {
    client.close()
    await context.close().catch(() => undefined)
    await host.stop().catch(() => undefined)
    await ollama.stop()
    await cleanup(work)
  }
}

export function seedFromEnv(fallback: number): number {
  const raw = process.env.CRASH_SEED
  return raw === undefined || raw === '' ? fallback : Number(raw) >>> 0
}

export type { Random }
