// In-page instruments for the review benchmark, installed with page.evaluate: a capture-phase keydown
// listener that timestamps the "select" key, and a MutationObserver that notices the moment the decision
// shows "saved" and the next sample is on screen, then waits for the frame that paints it.
import type { Page } from 'playwright-core'

export interface DecisionTiming {
  /** keydown of the select key → "saved" shown and the next item painted (the bar's figure). */
  totalMs: number
  /** keydown → the decision's entry first rendered as saved (before the paint). */
  savedMs: number
  /** keydown → the next sample's id first in the DOM (before the paint). */
  nextMs: number
}

declare global {
  interface Window {
    __reviewProbe?: { timings: DecisionTiming[]; pending: Promise<void> | null }
  }
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named inner functions in a `__name(...)` call
 * that exists in Node but not in the page; functions passed to page.evaluate need it defined there.
 */
export async function defineNameHelper(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (target) => target')
}

export async function installProbe(page: Page, selectKey: string): Promise<void> {
  await defineNameHelper(page)
  await page.evaluate((key) => {
    const probe: { timings: DecisionTiming[]; pending: Promise<void> | null } = { timings: [], pending: null }
    window.__reviewProbe = probe
    const sampleId = (): string | null =>
      document.querySelector('[data-testid="review-sample"]')?.getAttribute('data-sample-id') ?? null
    const newestEntry = (): Element | null => document.querySelector('[data-testid="decision-status"]')
    window.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== key) return
        const startedAt = performance.now()
        const previousSample = sampleId()
        const previousEntry = newestEntry()
        let savedAt: number | null = null
        let nextAt: number | null = null
        probe.pending = new Promise<void>((done) => {
          const check = (): boolean => {
            const entry = newestEntry()
            const now = performance.now()
            if (
              savedAt === null &&
              entry !== null &&
              entry !== previousEntry &&
              entry.getAttribute('data-kind') === 'select' &&
              entry.getAttribute('data-status') === 'saved'
            )
              savedAt = now
            const shown = sampleId()
            if (nextAt === null && shown !== null && shown !== previousSample) nextAt = now
            return savedAt !== null && nextAt !== null
          }
          const observer = new MutationObserver(() => {
            if (!check()) return
            observer.disconnect()
            // Mutations are seen before the frame is rendered: the frame after the next animation frame
            // callback is the one that paints them, so the time is taken in a task queued from there.
            requestAnimationFrame(() => {
              const channel = new MessageChannel()
              channel.port1.onmessage = () => {
                const end = performance.now()
                probe.timings.push({
                  totalMs: end - startedAt,
                  savedMs: (savedAt ?? end) - startedAt,
                  nextMs: (nextAt ?? end) - startedAt,
                })
                done()
              }
              channel.port2.postMessage(null)
            })
          })
          observer.observe(document.body, { subtree: true, childList: true, attributes: true })
        })
      },
      { capture: true },
    )
  }, selectKey)
}

/** Waits until the decision whose key was pressed last is saved and the next item painted. */
export async function waitForDecision(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.evaluate(
    (timeout) =>
      Promise.race([
        window.__reviewProbe?.pending ?? Promise.resolve(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('decision not saved in time')), timeout)),
      ]),
    timeoutMs,
  )
}

export async function readTimings(page: Page): Promise<DecisionTiming[]> {
  return page.evaluate(() => window.__reviewProbe?.timings ?? [])
}

/**
 * The floor of this way of measuring: a one-character DOM change timed exactly as a decision is (mutation,
 * then the frame after the next animation frame), `rounds` times at random moments. Frames come every
 * 16.7 ms, so even a change that costs nothing waits up to a frame to be painted: a decision cannot be
 * measured faster than this.
 */
export async function paintFloorTimes(page: Page, rounds: number): Promise<number[]> {
  await defineNameHelper(page)
  return page.evaluate(async (count) => {
    const target = document.createElement('span')
    target.setAttribute('aria-hidden', 'true')
    document.body.append(target)
    const times: number[] = []
    for (let i = 0; i < count; i++) {
      await new Promise((done) => setTimeout(done, Math.random() * 20))
      times.push(
        await new Promise<number>((done) => {
          const started = performance.now()
          target.textContent = String(i % 10)
          requestAnimationFrame(() => {
            const channel = new MessageChannel()
            channel.port1.onmessage = () => done(performance.now() - started)
            channel.port2.postMessage(null)
          })
        }),
      )
    }
    target.remove()
    return times
  }, rounds)
}
