// Review benchmark: in headless Chromium, with 200,000 samples and 600,000 candidates stored, a person's
// "choose candidate 1, go on" (keys `1` then `Enter`, as the user guide has it) over ≥ 1,000 decisions.
// Each decision is timed in the page from the keydown of `1` until its entry shows "saved" (flushed to the
// project log and committed to the store with strict durability) and the next sample is painted. Baseline
// from the same run: a bare fsync'd append of the decision event's bytes plus a bare strict IndexedDB
// transaction putting the rows the projection writes for it; and the floor of the measurement itself, a
// one-character DOM change timed the same way (it waits for the next frame too). Prints one JSON line last.
import { dirname, join } from 'node:path'
import { assertPrerequisites, openApp, startHost } from '../test/e2e/harness'
import { openProject, waitForSyncIdle } from '../test/e2e/app-driver'
import { LoopbackClient } from '../test/e2e/loopback-client'
import { ensureSeeded, storedLastSeq } from './review-seed'
import { startProfile, startTrace } from './page-profile'
import { installProbe, paintFloorTimes, readTimings, waitForDecision } from './review-probe'
import { lastDecisionLine, rawAppendTimes, rawStrictTxTimes, storedRows } from './review-raw'
import { idealDecisionTimes } from './review-ideal'

const samples = Number(process.env.BENCH_SAMPLES ?? 200_000)
const perSample = 3
const decisions = Number(process.env.BENCH_DECISIONS ?? 1000)
const warmup = 20
const rawRounds = 300
// BENCH_FRAMES=unlimited: frames are drawn as soon as there is something to draw instead of on a 60 Hz clock,
// so the figures measure the app's work and the paint rather than the wait for the next tick.
const frames = process.env.BENCH_FRAMES === 'unlimited' ? 'unlimited' : '60hz'
const frameArgs = frames === 'unlimited' ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : []

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}
const round = (ms: number): number => Number(ms.toFixed(2))

async function main(): Promise<void> {
  assertPrerequisites()
  const seeded = await ensureSeeded(samples, perSample)
  const host = await startHost(seeded.dataDir, seeded.port)
  const app = await openApp(seeded.profileDir, host.url, frameArgs)
  const { page } = app
  try {
    const client = await LoopbackClient.connect(host)
    const head = await client.call('log.head', { projectId: seeded.projectId })
    client.close()
    let started = performance.now()
    // After a schema change the store upgrades and rebuilds from the log first (minutes at this size).
    await openProject(page, 'Review bench', 1_800_000)
    while ((await storedLastSeq(page, seeded.projectId)) < head.lastSeq)
      await new Promise((done) => setTimeout(done, 200))
    await waitForSyncIdle(page, 600_000)
    console.log(
      `opened the project (store at event ${head.lastSeq}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )

    started = performance.now()
    await page.locator('body').click({ position: { x: 1, y: 1 } }) // keys go to the page, not a field
    await page.keyboard.press('g')
    await page.keyboard.press('r')
    const progress = page.locator(`[data-testid="review-progress"][data-total="${samples}"]`)
    await progress.waitFor({ timeout: 600_000 })
    // Each run reviews samples of the cached project for good: after enough runs none are left to review.
    const left = samples - Number(await progress.getAttribute('data-done'))
    if (left < warmup + decisions)
      throw new Error(
        `the cached project has ${left} unreviewed samples left, fewer than the ${warmup + decisions} this run ` +
          `needs: delete ${dirname(seeded.dataDir)} to seed it afresh`,
      )
    await page
      .getByTestId('review-candidate')
      .nth(perSample - 1)
      .waitFor({ timeout: 600_000 })
    console.log(`review screen with its first item in ${((performance.now() - started) / 1000).toFixed(1)} s`)

    await installProbe(page, '1')
    // BENCH_PROFILE=1: the renderer's CPU profile over the decisions (build with WINNOW_BUILD_MINIFY=0).
    const profiler = process.env.BENCH_PROFILE === '1' ? await startProfile(page) : null
    // BENCH_TRACE=1: where the renderer's main thread spent its time (layout, paint, IndexedDB callbacks).
    const tracer = process.env.BENCH_TRACE === '1' ? await startTrace(page) : null
    started = performance.now()
    for (let i = 0; i < warmup + decisions; i++) {
      await page.keyboard.press('1')
      await page.keyboard.press('Enter')
      await waitForDecision(page)
      if ((i + 1) % 250 === 0)
        console.log(`${i + 1} decisions in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
    await profiler?.stop()
    await tracer?.stop()
    const timings = (await readTimings(page)).slice(warmup)
    if (timings.length !== decisions) throw new Error(`measured ${timings.length} decisions of ${decisions}`)
    const totals = timings.map((t) => t.totalMs)

    // Baseline, one operation kind after the other (not interleaved per decision): rawCommitP50Ms is the
    // p50 of the bare append+fsync plus the p50 of the bare strict transaction, the two steps a decision
    // cannot skip before it may say "saved".
    const line = await lastDecisionLine(join(seeded.dataDir, 'projects', seeded.projectId, 'log'))
    const appendTimes = await rawAppendTimes(seeded.dataDir, line, rawRounds)
    const rows = await storedRows(page, seeded.projectId) // the bare transaction's and the ideal decision's
    const txTimes = await rawStrictTxTimes(page, rows, rawRounds)
    const floor = await paintFloorTimes(page, rawRounds)
    // Last, in a tab of its own: the bar's required steps alone, end to end (review-ideal.ts).
    const ideal = await idealDecisionTimes(page.context(), seeded.dataDir, line, rows, warmup, rawRounds)
    const rawAppendP50 = percentile(appendTimes, 50)
    const rawTxP50 = percentile(txTimes, 50)

    const p50 = percentile(totals, 50)
    const p95 = percentile(totals, 95)
    const p99 = percentile(totals, 99)
    const part = (pick: (t: (typeof timings)[number]) => number, p: number): string =>
      percentile(timings.map(pick), p).toFixed(1)
    console.log(
      `select → saved + next painted over ${decisions} decisions: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms, max ${Math.max(...totals).toFixed(1)} ms`,
    )
    console.log(
      `  of which keydown → "saved" in the DOM: p50 ${part((t) => t.savedMs, 50)}, p95 ${part((t) => t.savedMs, 95)}; ` +
        `keydown → next sample in the DOM: p50 ${part((t) => t.nextMs, 50)}, p95 ${part((t) => t.nextMs, 95)} ms`,
    )
    console.log(
      `raw: fsync'd append of the ${line.length}-byte event p50 ${rawAppendP50.toFixed(2)} ms (p95 ${percentile(appendTimes, 95).toFixed(2)}); ` +
        `strict IndexedDB tx p50 ${rawTxP50.toFixed(2)} ms (p95 ${percentile(txTimes, 95).toFixed(2)})`,
    )
    console.log(
      `paint floor: a one-character DOM change measured the same way takes p50 ${percentile(floor, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(floor, 95).toFixed(1)} ms (frames every 16.7 ms)`,
    )
    const idealTotals = ideal.map((t) => t.totalMs)
    const idealInDom = ideal.map((t) => t.nextMs)
    const idealP95 = percentile(idealTotals, 95)
    console.log(
      `ideal decision (only the bar's steps: the event over a WebSocket to Node, write + fsync, a strict ` +
        `transaction of the same rows, the next sample's four paragraphs; same probe and frame clock): p50 ` +
        `${percentile(idealTotals, 50).toFixed(1)} ms, p95 ${idealP95.toFixed(1)} ms, p99 ${percentile(idealTotals, 99).toFixed(1)} ms ` +
        `(keydown → in the DOM p50 ${percentile(idealInDom, 50).toFixed(1)}, p95 ${percentile(idealInDom, 95).toFixed(1)})`,
    )
    console.log(
      `ratios: p95/16 = ${(p95 / 16).toFixed(2)}, p99/50 = ${(p99 / 50).toFixed(2)}, ` +
        `p95/ideal p95 = ${(p95 / idealP95).toFixed(2)}, ideal p95/16 = ${(idealP95 / 16).toFixed(2)}`,
    )
    console.log(
      JSON.stringify({
        bench: 'review',
        samples: seeded.samples,
        candidates: seeded.candidates,
        decisions,
        p50Ms: round(p50),
        p95Ms: round(p95),
        p99Ms: round(p99),
        rawCommitP50Ms: round(rawAppendP50 + rawTxP50),
        paintFloorP50Ms: round(percentile(floor, 50)),
        paintFloorP95Ms: round(percentile(floor, 95)),
        idealP50Ms: round(percentile(idealTotals, 50)),
        idealP95Ms: round(idealP95),
        idealP99Ms: round(percentile(idealTotals, 99)),
        p95Target: 16,
        p99Target: 50,
        p95Ratio: round(p95 / 16),
        p99Ratio: round(p99 / 50),
      }),
    )
  } finally {
    await app.close()
    await host.stop()
  }
}

await main()
