// The store is rebuildable with review decisions in it: import 200 samples, generate 3 candidates each against
// the fake Ollama server, record 2,000 decisions of every kind over the loopback transport, fingerprint every
// decision, review and candidate row, then wipe Chromium's IndexedDB — by the deterministic LevelDB recipe and
// by deleting the profile's IndexedDB folder — and on the next start every row is back, byte for byte, and
// every decision chain verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { assertPrerequisites, cleanup, freePort, openApp, startHost, tempDir, type Host } from './harness'
import { createProject, importFile, openProject, waitForSyncIdle } from './app-driver'
import { LoopbackClient } from './loopback-client'
import { FakeOllamaServer } from '../fakes/fake-ollama-server'
import { generationSpecFor } from '../factories/generation-spec'
import { flagReasons, type DecisionKind, type UnsealedDecision } from '@shared/domain/decision'
import { wordDiff } from '@shared/text/word-diff'
import { uuidv7 } from '@shared/ids/uuidv7'
import { seededRandom } from '@shared/domain/seeded-random'

const project = 'Rebuild decisions bar'
const sampleCount = 200
const perSample = 3
const decisionsPerSample = 10
const decisionCount = sampleCount * decisionsPerSample
const candidateCount = sampleCount * perSample

/** See rebuild.e2e.test.ts: a complete LevelDB log record with a bad checksum, which Chromium treats as corruption. */
const walRecordWithBadChecksum = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01])

type StoreName = 'samples' | 'candidates' | 'decisions' | 'reviews'
type Counts = Record<StoreName, number>
interface Fingerprints {
  counts: Counts
  /** Sorted SHA-256 digests of each row's canonical JSON (keys sorted), per table. */
  rows: Record<'candidates' | 'decisions' | 'reviews', string[]>
  /** Sorted `hash` fields of the stored decisions: what the chain sealed. */
  decisionHashes: string[]
}

/** Row counts of the app's tables, read with raw IndexedDB (not through the app's own code). */
async function storedCounts(page: Page): Promise<Counts> {
  return page.evaluate(
    async (names) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open('winnow')
        request.onsuccess = () => done(request.result)
        request.onerror = () => fail(new Error(String(request.error)))
      })
      const counts: Record<string, number> = {}
      for (const name of names) {
        counts[name] = !db.objectStoreNames.contains(name)
          ? 0
          : await new Promise<number>((done, fail) => {
              const request = db.transaction(name).objectStore(name).count()
              request.onsuccess = () => done(request.result)
              request.onerror = () => fail(new Error(String(request.error)))
            })
      }
      db.close()
      return counts
    },
    ['samples', 'candidates', 'decisions', 'reviews'],
  ) as Promise<Counts>
}

/** Polls the store until it holds `want` rows in every table, or the deadline passes; answers the last counts. */
async function waitForCounts(page: Page, want: Partial<Counts>, timeoutMs = 60_000): Promise<Counts> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const counts = await storedCounts(page)
    const reached = Object.entries(want).every(([name, n]) => counts[name as StoreName] === n)
    if (reached || Date.now() > deadline) return counts
    await new Promise((done) => setTimeout(done, 250))
  }
}

/** Every candidate, decision and review row, digested in the page: canonical JSON, SHA-256, sorted. */
async function fingerprints(page: Page): Promise<Fingerprints> {
  const counts = await storedCounts(page)
  const digests = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    const canonical = (value: unknown): unknown => {
      if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>)
      if (Array.isArray(value)) return value.map(canonical)
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      return value
    }
    const hex = (buffer: ArrayBuffer): string =>
      Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
    const all = (name: string): Promise<unknown[]> =>
      new Promise((done, fail) => {
        const request = db.transaction(name).objectStore(name).getAll()
        request.onsuccess = () => done(request.result as unknown[])
        request.onerror = () => fail(new Error(String(request.error)))
      })
    const out: Record<string, string[]> = {}
    for (const name of ['candidates', 'decisions', 'reviews']) {
      const rows = db.objectStoreNames.contains(name) ? await all(name) : []
      const hashes: string[] = []
      for (const row of rows) {
        const bytes = new TextEncoder().encode(JSON.stringify(canonical(row)))
        hashes.push(hex(await crypto.subtle.digest('SHA-256', bytes)))
      }
      out[name] = hashes.sort()
    }
    const decisions = db.objectStoreNames.contains('decisions') ? await all('decisions') : []
    out.decisionHashes = (decisions as { hash: string }[]).map((d) => d.hash).sort()
    db.close()
    return out
  })
  return {
    counts,
    rows: { candidates: digests.candidates!, decisions: digests.decisions!, reviews: digests.reviews! },
    decisionHashes: digests.decisionHashes!,
  }
}

/** One digest per table over its sorted row digests, for the log. */
function describePrints(prints: Fingerprints): string {
  const digest = (list: string[]): string =>
    createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 16)
  return JSON.stringify({
    counts: prints.counts,
    candidates: digest(prints.rows.candidates),
    decisions: digest(prints.rows.decisions),
    reviews: digest(prints.rows.reviews),
    decisionHashes: digest(prints.decisionHashes),
  })
}

/** Each sample's candidates (id and text, in slot order), read from the store. */
async function storedCandidates(page: Page): Promise<Map<string, { id: string; text: string }[]>> {
  const rows = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('winnow')
      request.onsuccess = () => done(request.result)
      request.onerror = () => fail(new Error(String(request.error)))
    })
    const all = await new Promise<{ id: string; sampleId: string; slot: string; text: string }[]>(
      (done, fail) => {
        const request = db.transaction('candidates').objectStore('candidates').getAll()
        request.onsuccess = () =>
          done(request.result as { id: string; sampleId: string; slot: string; text: string }[])
        request.onerror = () => fail(new Error(String(request.error)))
      },
    )
    db.close()
    return all.map(({ id, sampleId, slot, text }) => ({ id, sampleId, slot, text }))
  })
  const bySample = new Map<string, { id: string; slot: string; text: string }[]>()
  for (const row of rows) bySample.set(row.sampleId, [...(bySample.get(row.sampleId) ?? []), row])
  return new Map(
    [...bySample].map(([sampleId, list]) => [
      sampleId,
      list.sort((a, b) => a.slot.localeCompare(b.slot)).map(({ id, text }) => ({ id, text })),
    ]),
  )
}

/**
 * A scripted session: `decisionsPerSample` decisions per sample, a mix of every kind. Undos name a decision
 * still in effect on that sample (tracked here the way review-state.ts's decisionsInEffect does), so the
 * writer accepts every one.
 */
function scriptDecisions(
  projectId: string,
  candidates: Map<string, { id: string; text: string }[]>,
): UnsealedDecision[][] {
  const random = seededRandom(20_000)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const weights: [DecisionKind, number][] = [
    ['select', 24],
    ['edit', 16],
    ['flag', 14],
    ['reject-all', 8],
    ['skip', 8],
    ['note', 12],
    ['undo', 18],
  ]
  const total = weights.reduce((sum, [, w]) => sum + w, 0)
  const kindAt = (): DecisionKind => {
    let roll = random() * total
    for (const [kind, w] of weights) if ((roll -= w) < 0) return kind
    return 'select'
  }
  const start = Date.parse('2026-01-01T09:00:00.000Z')
  let clock = 0
  const script: UnsealedDecision[][] = []
  for (const [sampleId, list] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
    const shownOrder = list.map((c) => c.id)
    const inEffect: string[] = []
    const decisions: UnsealedDecision[] = []
    for (let n = 0; n < decisionsPerSample; n++) {
      let kind = kindAt()
      if (kind === 'undo' && inEffect.length === 0) kind = 'select'
      const candidate = pick(list)
      const base: UnsealedDecision = {
        id: uuidv7(start + clock),
        projectId,
        sampleId,
        kind,
        candidateId: null,
        editedText: null,
        diff: null,
        flag: null,
        note: null,
        undoes: null,
        annotator: 'e2e',
        at: new Date(start + clock * 1000).toISOString(),
        timeSpentMs: 500 + Math.floor(random() * 20_000),
        shownOrder,
      }
      clock += 1
      let decision: UnsealedDecision
      switch (kind) {
        case 'select':
          decision = { ...base, candidateId: candidate.id }
          break
        case 'edit': {
          const editedText = `${candidate.text.replace(/^\S+/, 'Edited')} (pass ${n})`
          decision = {
            ...base,
            candidateId: candidate.id,
            editedText,
            diff: wordDiff(candidate.text, editedText),
          }
          break
        }
        case 'flag':
          decision = {
            ...base,
            candidateId: candidate.id,
            flag: {
              reason: pick(flagReasons).id,
              note: random() < 0.5 ? `flagged on pass ${n}` : null,
              correction: random() < 0.3 ? `corrected ${n}` : null,
            },
          }
          break
        case 'note':
          decision = {
            ...base,
            candidateId: random() < 0.5 ? candidate.id : null,
            note: `note ${n} on ${sampleId}`,
          }
          break
        case 'undo': {
          // Mostly the latest decision in effect (the UI's z), sometimes an older one.
          const target = random() < 0.7 ? inEffect.length - 1 : Math.floor(random() * inEffect.length)
          decision = { ...base, undoes: inEffect.splice(target, 1)[0]! }
          break
        }
        default:
          decision = base
      }
      if (kind !== 'undo') inEffect.push(decision.id)
      decisions.push(decision)
    }
    script.push(decisions)
  }
  return script
}

describe('rebuilding the store with 2,000 review decisions from the project log', () => {
  let work: string
  let port: number
  let host: Host | undefined
  let ollama: FakeOllamaServer
  let projectId: string
  let original: Fingerprints
  const sealedHashes: string[] = []

  const profile = (): string => join(work, 'profile')
  const indexedDbDir = (): string => join(profile(), 'Default', 'IndexedDB')

  beforeAll(async () => {
    assertPrerequisites()
    work = await tempDir('e2e-rebuild-decisions')
    port = await freePort()
    const corpus = join(work, 'corpus.jsonl')
    const lines = Array.from({ length: sampleCount }, (_, i) =>
      JSON.stringify({
        id: `s${String(i).padStart(3, '0')}`,
        text: `Story ${i}: a fox crossed hill ${i} at dawn.`,
      }),
    )
    await writeFile(corpus, lines.join('\n'))
    ollama = await new FakeOllamaServer().start()
    host = await startHost(join(work, 'data'), port)
    const app = await openApp(profile(), host.url)
    const client = await LoopbackClient.connect(host)
    try {
      // 1. Project, samples (through the UI) and candidates (over the loopback transport).
      await createProject(app.page, project)
      const summary = await importFile(app.page, corpus, {
        textField: 'text',
        idField: 'id',
        origin: 'human',
      })
      expect(summary.imported).toBe(sampleCount)
      const listed = (await client.call('projects.list', {})).find((p) => p.name === project)
      expect(listed).toBeDefined()
      projectId = listed!.id
      const spec = generationSpecFor(ollama.url, {
        models: [{ engine: 'ollama', host: ollama.url, model: 'tiny:latest' }],
        temperatures: [0.7],
        candidatesPerCell: perSample,
        maxTokens: 8,
        concurrency: 4,
      })
      const started = await client.call('generation.start', { projectId, spec })
      expect(started.candidates).toBe(candidateCount)
      // expect.poll works only inside a test: poll the job by hand.
      const deadline = Date.now() + 90_000
      let status: string | undefined
      while (status !== 'done' && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 250))
        status = (await client.call('jobs.list', { projectId })).find(
          (job) => job.id === started.jobId,
        )?.status
      }
      expect(status).toBe('done')
      const afterGeneration = await waitForCounts(app.page, {
        samples: sampleCount,
        candidates: candidateCount,
      })
      expect(afterGeneration.candidates).toBe(candidateCount)
      const candidates = await storedCandidates(app.page)
      expect(candidates.size).toBe(sampleCount)
      for (const list of candidates.values()) expect(list).toHaveLength(perSample)

      // 2. 2,000 decisions: round r sends every sample's r-th decision at once; a sample's own order holds.
      const script = scriptDecisions(projectId, candidates)
      const kinds = new Map<string, number>()
      for (const d of script.flat()) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1)
      for (const kind of ['select', 'edit', 'flag', 'reject-all', 'skip', 'note', 'undo'])
        expect(kinds.get(kind) ?? 0).toBeGreaterThan(50)
      for (let round = 0; round < decisionsPerSample; round++) {
        const replies = await Promise.all(
          script.map((decisions) => client.call('review.decide', { projectId, decision: decisions[round]! })),
        )
        for (const reply of replies) sealedHashes.push(reply.decision.hash)
      }
      sealedHashes.sort()
      expect(sealedHashes).toHaveLength(decisionCount)
      expect(await client.call('review.verify', { projectId })).toEqual({
        ok: true,
        decisions: decisionCount,
        chains: 1,
      })
      const afterReview = await waitForCounts(app.page, { decisions: decisionCount, reviews: sampleCount })
      expect(afterReview).toEqual({
        samples: sampleCount,
        candidates: candidateCount,
        decisions: decisionCount,
        reviews: sampleCount,
      })

      // 3. The fingerprints every rebuild must reproduce.
      original = await fingerprints(app.page)
      expect(original.decisionHashes).toEqual(sealedHashes)
      console.info(
        `before the wipe: ${describePrints(original)}; decision kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
      )
    } finally {
      client.close()
      await app.close()
      await host.stop()
      host = undefined
    }
  }, 180_000)

  afterAll(async () => {
    await host?.stop()
    await ollama?.stop()
    await cleanup(work)
  })

  /** One start of host and app: open the project, wait for every row, report the notice, fingerprints and verdict. */
  async function startAndCheck(): Promise<{
    notice: string | null
    prints: Fingerprints
    verdict: unknown
  }> {
    host = await startHost(join(work, 'data'), port)
    const app = await openApp(profile(), host.url)
    const client = await LoopbackClient.connect(host)
    try {
      await openProject(app.page, project)
      await waitForCounts(app.page, {
        samples: sampleCount,
        candidates: candidateCount,
        decisions: decisionCount,
        reviews: sampleCount,
      })
      await waitForSyncIdle(app.page)
      const notice = app.page.getByTestId('notice')
      const shown = (await notice.count()) > 0 ? await notice.first().textContent() : null
      return {
        notice: shown,
        prints: await fingerprints(app.page),
        verdict: await client.call('review.verify', { projectId }),
      }
    } finally {
      client.close()
      await app.close()
      await host.stop()
      host = undefined
    }
  }

  function expectIdentical(round: { notice: string | null; prints: Fingerprints; verdict: unknown }): void {
    console.info(
      `after: ${describePrints(round.prints)}; verify ${JSON.stringify(round.verdict)}; notice ${round.notice}`,
    )
    expect(round.prints.counts).toEqual(original.counts)
    expect(round.prints.rows.candidates).toEqual(original.rows.candidates)
    expect(round.prints.rows.decisions).toEqual(original.rows.decisions)
    expect(round.prints.rows.reviews).toEqual(original.rows.reviews)
    expect(round.prints.decisionHashes).toEqual(sealedHashes)
    expect(round.verdict).toEqual({ ok: true, decisions: decisionCount, chains: 1 })
  }

  it('recovers every decision after the deterministic LevelDB wipe recipe (append 7 bytes, start, stop, start)', async () => {
    const [leveldb] = (await readdir(indexedDbDir())).filter((name) => name.endsWith('.indexeddb.leveldb'))
    expect(leveldb).toBeDefined()
    const logs = (await readdir(join(indexedDbDir(), leveldb!))).filter((name) => name.endsWith('.log'))
    expect(logs.length).toBeGreaterThan(0)
    for (const log of logs) await appendFile(join(indexedDbDir(), leveldb!, log), walRecordWithBadChecksum)
    const first = await startAndCheck()
    const second = await startAndCheck()
    const notices = [first.notice, second.notice].filter((text) => text !== null)
    expect(notices.length).toBeGreaterThan(0)
    expect(notices[0]).toMatch(/rebuilt from the project log/i)
    expect(notices[0]).toMatch(/200 samples/)
    expectIdentical(first)
    expectIdentical(second)
  }, 120_000)

  it('recovers every decision after the IndexedDB folder is deleted', async () => {
    await rm(indexedDbDir(), { recursive: true, force: true })
    const round = await startAndCheck()
    expect(round.notice).toMatch(/rebuilt from the project log/i)
    expectIdentical(round)
  }, 90_000)
})
