// Import benchmark. Part 1: 100,000 records of ~500 bytes through the real path (file → main's parser → the
// project log → loopback transport → the renderer's Dexie projection in Chromium), timed until the store holds
// them all, against the same records bulk-put with raw IndexedDB in the same browser (same indexes, strict
// durability, 10,000 per transaction). Part 2: a generated 1 GiB JSONL file streamed through main's import
// job, sampling the host process's RSS. Prints one JSON line last.
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import type { JobSnapshot } from '@shared/jobs/job'
import { LoopbackClient } from '../test/e2e/loopback-client'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { cleanup, freePort, openApp, startHost, tempDir, assertPrerequisites } from '../test/e2e/harness'
import { browseCount, createProject, prepareImport, startImport } from '../test/e2e/app-driver'
import { sampleText } from '../test/factories/corpus-files'

const records = Number(process.env.BENCH_RECORDS ?? 100_000)
const bigBytes = Number(process.env.BENCH_BIG_BYTES ?? 1024 ** 3)

const record = (index: number): Record<string, unknown> => ({
  id: `b${index}`,
  text: sampleText(index, 430),
  source: 'bench',
  n: index,
})

async function writeJsonl(path: string, count: number | null, maxBytes = Infinity): Promise<number> {
  const out = createWriteStream(path)
  let bytes = 0
  let index = 0
  while ((count === null || index < count) && bytes < maxBytes) {
    const line = JSON.stringify(record(++index)) + '\n'
    bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  return index
}

async function realPath(work: string): Promise<{ seconds: number; rawSeconds: number }> {
  const file = join(work, 'bench.jsonl')
  await writeJsonl(file, records)
  const host = await startHost(join(work, 'data-a'), await freePort())
  const app = await openApp(join(work, 'profile'), host.url)
  try {
    await createProject(app.page, 'bench')
    await prepareImport(app.page, file, { textField: 'text', idField: 'id' })
    const started = performance.now()
    const summary = await startImport(app.page)
    if (summary.imported !== records) throw new Error(`imported ${summary.imported}, expected ${records}`)
    const count = await browseCount(app.page, records)
    if (count !== records) throw new Error(`the store holds ${count}, expected ${records}`)
    const seconds = (performance.now() - started) / 1000
    const rawSeconds = await rawBulkPut(app.page)
    return { seconds, rawSeconds }
  } finally {
    await app.close()
    await host.stop()
  }
}

/** The same records, shaped as the app stores them, bulk-put with raw IndexedDB; answers seconds. */
async function rawBulkPut(page: Page): Promise<number> {
  return page.evaluate(
    async ({ count, template }) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open('raw-bench', 1)
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore('samples', { keyPath: 'id' })
          store.createIndex('a', ['projectId', 'ord'])
          store.createIndex('b', ['projectId', 'origin', 'ord'])
          store.createIndex('c', ['projectId', 'batchId', 'ord'])
        }
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(new Error(String(request.error)))
      })
      const rows = Array.from({ length: count }, (_, i) => ({
        ...template,
        id: `raw-${i}`,
        ord: i + 1,
        text: template.text.slice(0, -8) + String(i).padStart(8, '0'),
        meta: { source: 'bench', n: i },
        contentHash: (i.toString(16) + template.contentHash).slice(0, 64),
      }))
      const started = performance.now()
      for (let offset = 0; offset < rows.length; offset += 10_000) {
        await new Promise<void>((done, fail) => {
          const tx = db.transaction('samples', 'readwrite', { durability: 'strict' })
          const store = tx.objectStore('samples')
          for (const row of rows.slice(offset, offset + 10_000)) store.put(row)
          tx.oncomplete = () => done()
          tx.onerror = () => fail(new Error(String(tx.error)))
        })
      }
      const seconds = (performance.now() - started) / 1000
      db.close()
      return seconds
    },
    {
      count: records,
      template: {
        projectId: '00000000-0000-0000-0000-000000000000',
        text: sampleText(1, 430),
        externalId: 'b1',
        origin: 'human',
        depth: 0,
        contentHash: 'f'.repeat(64),
        batchId: 'batch',
        line: 1,
      },
    },
  )
}

async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
}

async function streamBigFile(
  work: string,
): Promise<{ bytes: number; rssGrowth: number; seconds: number; imported: number }> {
  const file = join(work, 'big.jsonl')
  const lines = await writeJsonl(file, null, bigBytes)
  const host = await startHost(join(work, 'data-b'), await freePort())
  const pid = host.process.pid!
  try {
    const client = await LoopbackClient.connect(host)
    const project = await client.call('projects.create', { name: 'big' })
    const baseline = await rss(pid)
    let peak = baseline
    const sampler = setInterval(() => void rss(pid).then((value) => (peak = Math.max(peak, value))), 200)
    const started = performance.now()
    const spec = {
      path: file,
      format: 'jsonl' as const,
      textField: 'text',
      idField: 'id',
      origin: { kind: 'declared' as const, value: 'human' as const },
    }
    const finished = client.waitFor<JobSnapshot>(
      'jobs.changed',
      (job) => ['done', 'failed', 'cancelled'].includes(job.status),
      3_600_000,
    )
    await client.call('import.start', { projectId: project.id, spec })
    const job = await finished
    clearInterval(sampler)
    client.close()
    if (job.status !== 'done') throw new Error(`import ${job.status}: ${job.error}`)
    const imported = (job.result as { imported: number }).imported
    if (imported !== lines) throw new Error(`imported ${imported} of ${lines} lines`)
    return {
      bytes: bigBytes,
      rssGrowth: peak - baseline,
      seconds: (performance.now() - started) / 1000,
      imported,
    }
  } finally {
    await host.stop()
  }
}

async function main(): Promise<void> {
  assertPrerequisites()
  const work = await tempDir('bench')
  try {
    const { seconds, rawSeconds } = await realPath(work)
    const recordsPerSec = records / seconds
    const rawRecordsPerSec = records / rawSeconds
    console.log(
      `real path: ${records} records in ${seconds.toFixed(2)} s; raw IndexedDB: ${rawSeconds.toFixed(2)} s`,
    )
    const big = await streamBigFile(work)
    const rssGrowthMiB = big.rssGrowth / 1024 ** 2
    console.log(
      `streamed ${(big.bytes / 1024 ** 3).toFixed(2)} GiB (${big.imported} records) in ${big.seconds.toFixed(1)} s; RSS growth ${rssGrowthMiB.toFixed(0)} MiB (limit 300)`,
    )
    console.log(
      JSON.stringify({
        bench: 'import',
        records,
        recordsPerSec: Math.round(recordsPerSec),
        rawRecordsPerSec: Math.round(rawRecordsPerSec),
        ratio: Number((recordsPerSec / rawRecordsPerSec).toFixed(3)),
        ratioTarget: 0.7,
        streamedBytes: big.bytes,
        streamedRecords: big.imported,
        rssGrowthMiB: Math.round(rssGrowthMiB),
        rssGrowthLimitMiB: 300,
        rssRatioToLimit: Number((rssGrowthMiB / 300).toFixed(3)),
      }),
    )
  } finally {
    await cleanup(work)
  }
}

await main()
