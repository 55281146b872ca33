// A CPU profile of a benchmark's page (Chrome DevTools Protocol), printed as the functions with the most
// self time: what BENCH_PROFILE=1 shows. Build the renderer unminified (WINNOW_BUILD_MINIFY=0) so the
// app's functions keep their names.
import { writeFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'

/** Starts profiling the page; stop() prints the functions with the most self time. */
export async function startProfile(page: Page): Promise<{ stop(): Promise<void> }> {
  const session = await page.context().newCDPSession(page)
  await session.send('Profiler.enable')
  await session.send('Profiler.start')
  return {
    async stop() {
      const { profile } = await session.send('Profiler.stop')
      if (process.env.BENCH_PROFILE_FILE)
        await writeFile(process.env.BENCH_PROFILE_FILE, JSON.stringify(profile))
      const self = new Map<string, number>()
      const samples = profile.samples ?? []
      const interval = (profile.endTime - profile.startTime) / Math.max(1, samples.length)
      const byId = new Map(profile.nodes.map((node) => [node.id, node]))
      for (const id of samples) {
        const frame = byId.get(id)?.callFrame
        const name = frame?.functionName === '' || frame === undefined ? '(anonymous)' : frame.functionName
        const key = `${name} ${frame?.url.split('/').pop() ?? ''}:${frame?.lineNumber ?? 0}`
        self.set(key, (self.get(key) ?? 0) + interval / 1000)
      }
      console.log(
        `profile: ${samples.length} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`,
      )
      for (const [key, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30))
        console.log(`${ms.toFixed(0).padStart(8)} ms  ${key}`)
    },
  }
}

/**
 * Starts a Chromium trace of the page (timeline and IndexedDB categories); stop() prints where the renderer's
 * main thread spent its time, by trace event (nested events are counted in their parents too): what
 * BENCH_TRACE=1 shows, e.g. layout forced in the middle of a key press, or IndexedDB callbacks per decision.
 */
export async function startTrace(page: Page): Promise<{ stop(): Promise<void> }> {
  // Over CDP rather than browser.startTracing: the benchmarks open a persistent context, which has no Browser.
  const session = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  session.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])))
  await session.send('Tracing.start', {
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'blink',
        'IndexedDB',
      ],
    },
  })
  return {
    async stop() {
      const complete = new Promise<void>((done) => session.once('Tracing.tracingComplete', () => done()))
      await session.send('Tracing.end')
      await complete
      if (process.env.BENCH_TRACE_FILE) await writeFile(process.env.BENCH_TRACE_FILE, JSON.stringify(events))
      const threads = new Map<string, string>()
      for (const event of events)
        if (event.ph === 'M' && event.name === 'thread_name')
          threads.set(`${event.pid}:${event.tid}`, event.args?.name ?? '')
      const byName = new Map<string, number>()
      for (const event of events) {
        if (event.ph !== 'X' || typeof event.dur !== 'number') continue
        if (threads.get(`${event.pid}:${event.tid}`) !== 'CrRendererMain') continue
        byName.set(event.name, (byName.get(event.name) ?? 0) + event.dur / 1000)
      }
      console.log('trace: renderer main thread, ms by event')
      for (const [name, ms] of [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`${ms.toFixed(0).padStart(8)} ms  ${name}`)
    },
  }
}

interface TraceEvent {
  ph: string
  name: string
  pid: number
  tid: number
  dur?: number
  args?: { name?: string }
}
