// Opening a large project: what main does the first time a project is used in a process (the start screen's
// projects.list opens every project) — ProjectLog.open verifying every segment and folding ProjectState —
// against a bare read of the same log in the same run: every segment inflated and every line JSON.parse'd,
// the least an open that checks each event must do. Prints one JSON line last.
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createGunzip } from 'node:zlib'
import { createReadStream } from 'node:fs'
import { EventHub } from '../src-main/ipc/event-hub'
import { ProjectRegistry } from '../src-main/services/projects/project-registry'
import { writeLog } from './review-seed'

const samples = Number(process.env.BENCH_SAMPLES ?? 200_000)
const perSample = 3
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

interface Seed {
  dataDir: string
  projectId: string
  lastSeq: number
}

/** The log, written once and kept in .bench-cache (gitignored) for later runs. */
async function ensureLog(): Promise<Seed> {
  const root = resolve(import.meta.dirname, '..', '.bench-cache', `open-v1-${samples}x${perSample}`)
  const manifest = join(root, 'seed.json')
  if (existsSync(manifest)) return JSON.parse(await readFile(manifest, 'utf8')) as Seed
  await rm(root, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  const dataDir = join(root, 'data')
  const started = performance.now()
  const { projectId, lastSeq } = await writeLog(dataDir, samples, perSample)
  console.log(
    `seed: wrote the log (${lastSeq} events) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  const seed = { dataDir, projectId, lastSeq }
  await writeFile(manifest, JSON.stringify(seed, null, 2))
  return seed
}

/** Every segment inflated (or read) and every line after the header parsed: the bare floor. */
async function bareReadAndParse(logDir: string): Promise<number> {
  let lines = 0
  const names = (await readdir(logDir)).filter((name) => /^seg-\d{16}\.jsonl(\.gz)?$/.test(name)).sort()
  for (const name of names) {
    const source = createReadStream(join(logDir, name), { highWaterMark: 256 * 1024 })
    const chunks = name.endsWith('.gz') ? source.pipe(createGunzip({ chunkSize: 256 * 1024 })) : source
    let rest = ''
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8')
      const parts = text.split('\n')
      rest = parts.pop() ?? ''
      for (const line of parts) {
        if (line === '') continue
        JSON.parse(line.slice(9)) // after the checksum and its space
        lines++
      }
    }
  }
  return lines
}

async function main(): Promise<void> {
  const seed = await ensureLog()
  const logDir = join(seed.dataDir, 'projects', seed.projectId, 'log')
  const appMs: number[] = []
  const bareMs: number[] = []
  for (let round = 0; round < rounds; round++) {
    let started = performance.now()
    const registry = new ProjectRegistry(seed.dataDir, new EventHub())
    const state = await registry.state(seed.projectId)
    appMs.push(performance.now() - started)
    await registry.close()
    if (state.sampleCount !== samples) throw new Error(`opened ${state.sampleCount} samples of ${samples}`)
    started = performance.now()
    const lines = await bareReadAndParse(logDir)
    bareMs.push(performance.now() - started)
    console.log(
      `round ${round + 1}: open and fold ${(appMs.at(-1)! / 1000).toFixed(2)} s; bare read and parse of ` +
        `${lines} lines ${(bareMs.at(-1)! / 1000).toFixed(2)} s`,
    )
  }
  const app = median(appMs)
  const bare = median(bareMs)
  console.log(
    JSON.stringify({
      bench: 'open',
      samples,
      candidates: samples * perSample,
      events: seed.lastSeq,
      openMs: Math.round(app),
      bareReadParseMs: Math.round(bare),
      ratio: Number((app / bare).toFixed(2)),
    }),
  )
}

await main()
