// Seeding for the review benchmark: a project with 200,000 samples and 600,000 complete candidates, written
// straight into its project log through main's ProjectRegistry (the same event kinds and payload shapes the
// import and generation jobs append, each payload checked against its zod schema), because generating 600k
// candidates through the app takes ~20 minutes. The app then rebuilds its IndexedDB store from that log when
// the project is opened in Chromium. Data dir and Chromium profile are cached under .bench-cache/, keyed by
// SEED_VERSION and the sizes, so later runs skip all of this.
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { EventHub } from '../src-main/ipc/event-hub'
import { ProjectRegistry, type TypedInput } from '../src-main/services/projects/project-registry'
import { logEventPayloads } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { SampleRecord } from '@shared/domain/sample'
import { uuidv7 } from '@shared/ids/uuidv7'
import { freePort, openApp, startHost } from '../test/e2e/harness'
import { openProject } from '../test/e2e/app-driver'
import { sampleText } from '../test/factories/corpus-files'
import { benchCandidate } from './export-page/corpus'

/** Bump when the seeded content or the store's schema changes in a way the cache must not survive. */
const SEED_VERSION = 1
const PROJECT_NAME = 'Review bench'

export interface Seeded {
  dataDir: string
  profileDir: string
  /** IndexedDB belongs to an origin, so every run must serve the app on the port the store was built on. */
  port: number
  projectId: string
  samples: number
  candidates: number
  lastSeq: number
  seedSeconds: number
  rebuildSeconds: number
  rebuildRowsPerSec: number
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

function sampleAt(ord: number, batchId: string): SampleRecord {
  const text = sampleText(ord, 300)
  return {
    id: uuidv7(),
    ord,
    text,
    externalId: `r${ord}`,
    meta: { source: 'bench', n: ord },
    origin: 'human',
    depth: 0,
    contentHash: sha256(text),
    batchId,
    line: ord,
  }
}

/** The export benchmark's candidate, with this benchmark's text. */
const candidateFor = (sample: SampleRecord, index: number, jobId: string): CandidateRecord =>
  benchCandidate(
    sample,
    index,
    uuidv7(),
    jobId,
    `Rewrite ${index + 1}. ${sampleText(sample.ord * 3 + index + 1, 240)}`,
  )

/** Checked against the same schema the log's readers use, so the seed cannot drift from real events. */
function checked(input: TypedInput): TypedInput {
  logEventPayloads[input.kind].parse(input.data)
  return input
}

/** Appends with many events in flight, so group commit shares the fsyncs (as a running job's appends do). */
class Appender {
  #inFlight: Promise<unknown>[] = []
  constructor(
    private readonly registry: ProjectRegistry,
    private readonly projectId: string,
  ) {}
  async add(input: TypedInput): Promise<void> {
    this.#inFlight.push(this.registry.append(this.projectId, [checked(input)]))
    if (this.#inFlight.length >= 64) await this.drain()
  }
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight)
    this.#inFlight = []
  }
}

/** The project's log alone: samples and candidates appended through the registry (bench:open reads it too). */
export async function writeLog(
  dataDir: string,
  samples: number,
  perSample: number,
): Promise<{ projectId: string; lastSeq: number }> {
  const registry = new ProjectRegistry(dataDir, new EventHub())
  try {
    const project = await registry.create(PROJECT_NAME)
    const appender = new Appender(registry, project.id)
    const batchId = uuidv7()
    const jobId = uuidv7()
    const spec = {
      path: '/bench/corpus.jsonl',
      format: 'jsonl' as const,
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared' as const, value: 'human' as const },
    }
    await appender.add({
      kind: 'import.batchStarted',
      data: { batchId, fileName: 'corpus.jsonl', sizeBytes: samples * 400, spec },
    })
    const perEvent = 1000
    const all: SampleRecord[] = []
    for (let first = 1; first <= samples; first += perEvent) {
      const page = Array.from({ length: Math.min(perEvent, samples - first + 1) }, (_, k) =>
        sampleAt(first + k, batchId),
      )
      all.push(...page)
      const last = first + page.length - 1
      const counts = { read: last, imported: last, duplicates: 0, rejected: 0 }
      await appender.add({
        kind: 'samples.imported',
        data: { batchId, samples: page, through: { byteOffset: last * 400, line: last, counts } },
      })
    }
    await appender.add({
      kind: 'import.batchFinished',
      data: {
        batchId,
        status: 'done',
        counts: { read: samples, imported: samples, duplicates: 0, rejected: 0 },
        errors: [],
        errorsTruncated: false,
        message: null,
      },
    })
    // The generation job's recorder appends what finished while its previous append was in flight: a few
    // candidates per event at concurrency 4; 30 per event here keeps the seed's event count reasonable.
    let pending: CandidateRecord[] = []
    for (const sample of all) {
      for (let index = 0; index < perSample; index++) pending.push(candidateFor(sample, index, jobId))
      if (pending.length >= 30) {
        await appender.add({ kind: 'candidates.recorded', data: { candidates: pending } })
        pending = []
      }
    }
    if (pending.length > 0) await appender.add({ kind: 'candidates.recorded', data: { candidates: pending } })
    await appender.drain()
    return { projectId: project.id, lastSeq: (await registry.head(project.id)).lastSeq }
  } finally {
    await registry.close()
  }
}

/** The store's sentinel for the project, read with raw IndexedDB (not through the app's code). */
export async function storedLastSeq(page: Page, projectId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    try {
      if (!db.objectStoreNames.contains('sentinel')) return 0
      const row = await new Promise<{ lastSeq: number } | undefined>((done, fail) => {
        const request = db.transaction('sentinel').objectStore('sentinel').get(id)
        request.onsuccess = () => done(request.result as { lastSeq: number } | undefined)
        request.onerror = () => fail(new Error(String(request.error)))
      })
      return row?.lastSeq ?? 0
    } finally {
      db.close()
    }
  }, projectId)
}

export async function ensureSeeded(samples: number, perSample: number): Promise<Seeded> {
  const root = resolve(
    import.meta.dirname,
    '..',
    '.bench-cache',
    `review-v${SEED_VERSION}-${samples}x${perSample}`,
  )
  const manifest = join(root, 'seed.json')
  if (existsSync(manifest)) {
    const seeded = JSON.parse(await readFile(manifest, 'utf8')) as Seeded
    console.log(
      `seed: cached at ${root} (seeded in ${seeded.seedSeconds.toFixed(0)} s, store rebuilt in ` +
        `${seeded.rebuildSeconds.toFixed(0)} s, ${Math.round(seeded.rebuildRowsPerSec)} rows/s)`,
    )
    return seeded
  }
  await rm(root, { recursive: true, force: true })
  await mkdir(root, { recursive: true })
  const dataDir = join(root, 'data')
  const profileDir = join(root, 'profile')
  let started = performance.now()
  const { projectId, lastSeq } = await writeLog(dataDir, samples, perSample)
  const seedSeconds = (performance.now() - started) / 1000
  console.log(
    `seed: wrote ${samples} samples and ${samples * perSample} candidates to the log in ${seedSeconds.toFixed(1)} s`,
  )

  const port = await freePort()
  const host = await startHost(dataDir, port)
  const app = await openApp(profileDir, host.url)
  let rebuildSeconds: number
  try {
    started = performance.now()
    await openProject(app.page, PROJECT_NAME)
    let reported = 0
    for (;;) {
      const seq = await storedLastSeq(app.page, projectId)
      if (seq >= lastSeq) break
      const seconds = (performance.now() - started) / 1000
      if (seconds - reported >= 30) {
        reported = seconds
        console.log(`seed: store rebuilding, event ${seq} of ${lastSeq} after ${seconds.toFixed(0)} s`)
      }
      await new Promise((done) => setTimeout(done, 1000))
    }
    rebuildSeconds = (performance.now() - started) / 1000
  } finally {
    await app.close()
    await host.stop()
  }
  const rows = samples * (1 + perSample)
  const seeded: Seeded = {
    dataDir,
    profileDir,
    port,
    projectId,
    samples,
    candidates: samples * perSample,
    lastSeq,
    seedSeconds,
    rebuildSeconds,
    rebuildRowsPerSec: rows / rebuildSeconds,
  }
  console.log(
    `seed: the app rebuilt its store (${rows} rows) from the log in ${rebuildSeconds.toFixed(1)} s ` +
      `(${Math.round(seeded.rebuildRowsPerSec)} rows/s)`,
  )
  await writeFile(manifest, JSON.stringify(seeded, null, 2))
  return seeded
}
