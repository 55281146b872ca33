// Export benchmark (issue 5, bar 5): a project with BENCH_SAMPLES (default 1,000,000) human samples, two
// candidates each and one decision each (85 % select, 10 % edit, 5 % reject all) exported as DPO JSONL by the
// app's own streaming export (src-renderer/state/datasets/run-export.ts, default dataset spec: exact and
// near-duplicate dedup, accumulate, 10 % test) in headless Chromium, through the real main-side export
// service. Baseline, same run, same store: a raw Dexie scan of the rows the export reads (samples, reviews,
// candidates), each serialised with JSON.stringify. Peak memory is the summed RSS of every process this
// benchmark started (Chromium's and the host's), sampled every 100 ms during the export. The store is seeded
// once through the app's projection and cached under .bench-cache/. Prints one JSON line last.
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { assertPrerequisites, openApp, startHost, tempDir } from '../test/e2e/harness'
import { startProfile } from './page-profile'

// 2: schema v9 keys the store's rows per project; the v8 upgrade drops the tables a v1 cache seeded, and this
// benchmark seeds the store without a log on disk to rebuild them from.
const SEED_VERSION = 2
const samples = Number(process.env.BENCH_SAMPLES ?? 1_000_000)
// IndexedDB belongs to an origin: a cached store is only found again on the port it was seeded on, which its
// meta.json records (47311 for caches that predate the field). Sizes get their own ports so two can run.
const LEGACY_PORT = 47_311
const portFor = (size: number): number => 40_000 + (size % 9_973)
const root = resolve(import.meta.dirname, '..')
const pageDir = join(root, 'out', 'bench-export')

interface Bench {
  createProject(name: string): Promise<string>
  seed(projectId: string, samples: number): Promise<{ seconds: number }>
  rawScan(projectId: string): Promise<{ seconds: number; rows: number; chars: number }>
  exportDpo(
    projectId: string,
    folder: string,
  ): Promise<{ seconds: number; files: { path: string; lines: number; bytes: number }[]; inputs: number }>
}
declare const winnowBench: Bench

async function buildPage(): Promise<void> {
  await build({
    root: join(root, 'bench', 'export-page'),
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@shared': join(root, 'src-shared') } },
    plugins: [svelte({ configFile: join(root, 'svelte.config.js') })],
    // Unminified, so a profile (BENCH_PROFILE=1) names the app's functions.
    build: { outDir: pageDir, emptyOutDir: true, minify: false },
  })
}

type Memory = { total: number; renderer: number; chromium: number; host: number }

/** Resident memory (MiB) of every descendant of this process: in all, and by role. */
async function descendantsRss(): Promise<Memory> {
  const parents = new Map<number, number>()
  const rss = new Map<number, number>()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(Number(name), Number(fields[1]))
      rss.set(Number(name), Number(fields[21]) * 4096) // rss in pages (4 KiB here)
    } catch {
      // the process ended meanwhile
    }
  }
  const memory: Memory = { total: 0, renderer: 0, chromium: 0, host: 0 }
  for (const pid of parents.keys()) {
    for (let up = parents.get(pid); up !== undefined && up > 1; up = parents.get(up)) {
      if (up !== process.pid) continue
      const mib = (rss.get(pid) ?? 0) / (1024 * 1024)
      const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
      memory.total += mib
      if (command.includes('--type=renderer')) memory.renderer += mib
      else if (command.includes('browser-host')) memory.host += mib
      else memory.chromium += mib
      break
    }
  }
  return memory
}

/** Peak memory, per role and in all, sampled every 100 ms until stopped. */
function sampleRss(): { stop(): Promise<Memory> } {
  const peak: Memory = { total: 0, renderer: 0, chromium: 0, host: 0 }
  let running = true
  const loop = (async () => {
    while (running) {
      const now = await descendantsRss()
      for (const role of Object.keys(peak) as (keyof Memory)[]) peak[role] = Math.max(peak[role], now[role])
      await new Promise((done) => setTimeout(done, 100))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return peak
    },
  }
}

async function main(): Promise<void> {
  assertPrerequisites()
  await buildPage()
  const cache = join(root, '.bench-cache', `export-v${SEED_VERSION}-${samples}`)
  const metaPath = join(cache, 'meta.json')
  const isSeeded = existsSync(metaPath)
  if (!isSeeded) {
    await rm(cache, { recursive: true, force: true })
    await mkdir(cache, { recursive: true })
  }
  const meta = isSeeded
    ? (JSON.parse(await readFile(metaPath, 'utf8')) as { projectId: string; port?: number })
    : null
  const port = meta === null ? portFor(samples) : (meta.port ?? LEGACY_PORT)
  const host = await startHost(join(cache, 'data'), port, {}, pageDir)
  const app = await openApp(join(cache, 'profile'), host.url)
  const { page } = app
  const out = await tempDir('bench-export-out')
  try {
    await page.waitForFunction(() => 'winnowBench' in window)
    let projectId: string
    if (meta !== null) projectId = meta.projectId
    else {
      projectId = await page.evaluate(() => winnowBench.createProject('Export bench'))
      const seeded = await page.evaluate(([id, n]) => winnowBench.seed(id, n), [projectId, samples] as const)
      await writeFile(metaPath, JSON.stringify({ projectId, samples, port, seedSeconds: seeded.seconds }))
      console.log(`seeded ${samples} samples in ${seeded.seconds.toFixed(1)} s`)
    }

    if (process.env.BENCH_SEED_ONLY === '1') return // prepare the cache now, measure on a quiet machine later
    const idle = await descendantsRss()
    const rawRss = sampleRss()
    const rawBefore = await page.evaluate((id) => winnowBench.rawScan(id), projectId)
    const rawPeak = await rawRss.stop()
    console.log(
      `raw scan: ${rawBefore.rows} rows, ${(rawBefore.chars / 1e6).toFixed(0)} M chars, ${rawBefore.seconds.toFixed(1)} s`,
    )
    const rss = sampleRss()
    const profiler = process.env.BENCH_PROFILE === '1' ? await startProfile(page) : null
    const exported = await page.evaluate(([id, folder]) => winnowBench.exportDpo(id, folder), [
      projectId,
      out,
    ] as const)
    await profiler?.stop()
    const peak = await rss.stop()
    console.log(
      `export: ${exported.inputs} samples in ${exported.seconds.toFixed(1)} s; files ${JSON.stringify(exported.files)}`,
    )
    const rawAfter = await page.evaluate((id) => winnowBench.rawScan(id), projectId)
    console.log(`raw scan again: ${rawAfter.seconds.toFixed(1)} s`)

    // Rows per second over the same records (one reviewed sample with its review and candidates each).
    const rawSeconds = (rawBefore.seconds + rawAfter.seconds) / 2
    const dpoRows = exported.files.filter((f) => f.path.startsWith('dpo/')).reduce((n, f) => n + f.lines, 0)
    const result = {
      bench: 'export',
      rows: exported.inputs,
      rowsPerSec: Math.round(exported.inputs / exported.seconds),
      rawRowsPerSec: Math.round(exported.inputs / rawSeconds),
      ratio: Number((rawSeconds / exported.seconds).toFixed(3)),
      peakRssMiB: Math.round(peak.total),
      // The same processes while the raw scan ran, and before either: what the export itself adds.
      rawScanPeakRssMiB: Math.round(rawPeak.total),
      idleRssMiB: Math.round(idle.total),
      peakRendererMiB: Math.round(peak.renderer),
      peakChromiumOtherMiB: Math.round(peak.chromium),
      peakHostMiB: Math.round(peak.host),
      rawScanPeakRendererMiB: Math.round(rawPeak.renderer),
      dpoRows,
      exportSeconds: Number(exported.seconds.toFixed(1)),
      rawScanSeconds: Number(rawSeconds.toFixed(1)),
      rawScanRows: rawBefore.rows,
    }
    console.log(JSON.stringify(result))
  } finally {
    await app.close()
    await host.stop()
    await rm(out, { recursive: true, force: true })
  }
}

await main()
