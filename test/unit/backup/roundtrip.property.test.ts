// Bar 2: export → import → export is byte-identical. Each generated project — hostile Unicode everywhere
// (non-BMP, RTL and bidi controls, NUL and other C0 controls, CR, lone surrogates, NFC-sensitive pairs,
// BOM, U+2028) — is backed up, restored with a tiny read size (so characters and line ends straddle
// reads) and small append batches, and backed up again: the data files must be identical byte for byte,
// and the rows must be exactly the ones generated. One extra case carries a 10 MiB string per run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { ProjectRegistry, type TypedInput } from '../../../src-main/services/projects/project-registry'
import { EventHub } from '../../../src-main/ipc/event-hub'
import { writeBackup } from '../../../src-main/services/backup/backup-writer'
import { restoreBackup } from '../../../src-main/services/backup/backup-restore'
import { backupFiles } from '../../../src-main/services/backup/backup-format'
import { ChainTips } from '@shared/domain/decision-chain'
import type { DecisionRecord } from '@shared/domain/decision'
import type { DatasetSnapshot } from '@shared/domain/dataset-snapshot'
import type { SampleRecord } from '@shared/domain/sample'
import type { CandidateRecord } from '@shared/domain/candidate'
import { importSpec, makeCandidate, makeSample } from '../../factories/log-events'
import { makeDecision } from '../../factories/decisions'
import { cleanup, tempDir } from '../../e2e/harness'

const RUNS = 300
const meta = { appVersion: 'test', schemaVersion: 1 }

const pieces = [
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '"',
  '\\',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u200d',
  'مرحبا',
  'שלום',
  '𝕏',
  '𝒜',
  '🦊',
  '👨‍👩‍👧',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  'é',
  'e\u0301',
  'Å',
  'A\u030a',
  '\uffff',
  '\u{10ffff}',
]
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 10 })
  .map((parts) => parts.join(''))
const nonEmpty = hostile.map((text) => (text.trim() === '' ? `x${text}x` : text))

interface Generated {
  settings: { maxFieldBytes: number }
  samples: SampleRecord[]
  candidates: CandidateRecord[]
  decisions: DecisionRecord[]
  datasets: DatasetSnapshot[]
  unknown: { kind: string; v: number; data: unknown }[]
  chunkBytes: number
  batchRows: number
}

const generated = fc
  .record({
    maxFieldBytes: fc.integer({ min: 1024, max: 64 * 1024 * 1024 }),
    texts: fc.array(fc.record({ text: hostile, ext: fc.option(hostile), key: hostile, value: hostile }), {
      maxLength: 5,
    }),
    twoBatches: fc.boolean(),
    candidateTexts: fc.array(fc.record({ text: hostile, thinking: fc.option(hostile) }), { maxLength: 4 }),
    notes: fc.array(fc.record({ annotator: nonEmpty, note: nonEmpty, edit: fc.boolean() }), { maxLength: 4 }),
    datasetNames: fc.array(
      nonEmpty.map((n) => n.slice(0, 100) || 'x'),
      { maxLength: 2 },
    ),
    unknown: fc.array(fc.record({ kind: nonEmpty, value: hostile }), { maxLength: 2 }),
    chunkBytes: fc.integer({ min: 1, max: 97 }),
    batchRows: fc.integer({ min: 1, max: 3 }),
  })
  .map((g): Generated => {
    const samples = g.texts.map(({ text, ext, key, value }, i) => {
      const sample = makeSample(i + 1, g.twoBatches && i % 2 ? 'batch-b' : 'batch-a', 'human', text)
      // JSON.parse makes `__proto__` an own key, as it is when it arrives in an imported file.
      const meta = JSON.parse(`{"__proto__":${JSON.stringify(value)}}`) as Record<string, unknown>
      meta[key] = value
      return { ...sample, externalId: ext, meta }
    })
    const candidates = g.candidateTexts.map(({ text, thinking }, i) =>
      makeCandidate(samples[i % Math.max(1, samples.length)]?.id ?? 's0', { id: `c-${i}`, text, thinking }),
    )
    const tips = new ChainTips()
    const decisions = g.notes.map(({ annotator, note, edit }, i) =>
      tips.next(
        edit
          ? makeDecision('edit', {
              projectId: 'original',
              sampleId: `s-${i}`,
              candidateId: 'c-0',
              shownOrder: ['c-0'],
              editedText: note,
              diff: [{ op: 'insert', text: note }],
              annotator,
            })
          : makeDecision('note', { projectId: 'original', sampleId: `s-${i}`, note, annotator }),
      ),
    )
    const datasets = g.datasetNames.map((name, i): DatasetSnapshot => ({
      id: `d-${i}`,
      projectId: 'original',
      createdAt: '2026-01-01T00:00:00.000Z',
      appVersion: 'test',
      schemaVersion: 1,
      folder: `/exports/${name}`,
      files: [],
      contentHash: 'a'.repeat(64),
      name,
      formats: ['sft-messages'],
      spec: { filter: name },
      formatOptions: { systemPrompt: name },
      logSeq: i,
      splits: { train: samples.map((s) => s.id), test: [] },
      counts: { rows: {}, bySplit: {}, byOrigin: {}, byDepth: {}, byGeneration: {} },
      warnings: [name],
    }))
    const unknown = g.unknown.map(({ kind, value }) => ({ kind: `future.${kind}`, v: 1, data: { value } }))
    return {
      settings: { maxFieldBytes: g.maxFieldBytes },
      samples,
      candidates,
      decisions,
      datasets,
      unknown,
      chunkBytes: g.chunkBytes,
      batchRows: g.batchRows,
    }
  })

let work: string
let registry: ProjectRegistry

beforeAll(async () => {
  work = await tempDir('backup-property')
  registry = new ProjectRegistry(join(work, 'data'), new EventHub())
})

afterAll(async () => {
  await registry.close()
  await cleanup(work)
})

const candidatesInput = (candidates: CandidateRecord[]): TypedInput => ({
  kind: 'candidates.recorded',
  data: { candidates },
})

async function makeProject(g: Generated): Promise<string> {
  // Not registry.create: that one always writes the default settings.
  const id = randomUUID()
  await mkdir(registry.folder(id), { recursive: true })
  const finished = (batchId: string): TypedInput => ({
    kind: 'import.batchFinished',
    data: {
      batchId,
      status: 'done',
      counts: { read: 1, imported: 1, duplicates: 0, rejected: 0 },
      errors: [{ line: 1, reason: batchId }],
      errorsTruncated: false,
      message: null,
    },
  })
  const batchIds = [...new Set(g.samples.map((s) => s.batchId))]
  await registry.append(
    id,
    [
      { kind: 'project.created', data: { name: 'original', settings: g.settings } },
      ...batchIds.map((batchId): TypedInput => ({
        kind: 'import.batchStarted',
        data: { batchId, fileName: `${batchId}.jsonl`, sizeBytes: 1, spec: importSpec },
      })),
      ...g.samples.map((s): TypedInput => ({
        kind: 'samples.imported',
        data: { batchId: s.batchId, samples: [s] },
      })),
      ...batchIds.map(finished),
      ...(g.candidates.length ? [candidatesInput(g.candidates)] : []),
      ...g.decisions.map((decision): TypedInput => ({ kind: 'decision.recorded', data: { decision } })),
      ...g.datasets.map((snapshot): TypedInput => ({ kind: 'dataset.exported', data: { snapshot } })),
    ],
    { urgent: true },
  )
  if (g.unknown.length) {
    const { log, state } = await registry.load(id)
    for (const event of await log.append(g.unknown, { urgent: true })) state.apply(event)
  }
  return id
}

const rowsOf = async (folder: string, file: string): Promise<unknown[]> =>
  (await readFile(join(folder, file), 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)

async function roundTrip(g: Generated): Promise<void> {
  const original = await makeProject(g)
  const first = await writeBackup(registry, original, work, meta)
  const { projectId } = await restoreBackup(registry, first.folder, 'restored', {
    chunkBytes: g.chunkBytes,
    batchRows: g.batchRows,
  })
  const second = await writeBackup(registry, projectId, work, meta)
  for (const file of backupFiles) {
    const [a, b] = [await readFile(join(first.folder, file)), await readFile(join(second.folder, file))]
    expect(b.equals(a), file).toBe(true)
  }
  // And the rows are the ones generated, not merely stable: nothing normalised, replaced or dropped.
  expect(await rowsOf(first.folder, 'samples.jsonl')).toEqual(g.samples)
  expect(await rowsOf(first.folder, 'candidates.jsonl')).toEqual(g.candidates)
  expect(await rowsOf(first.folder, 'decisions.jsonl')).toEqual(g.decisions)
  expect(await rowsOf(first.folder, 'datasets.jsonl')).toEqual(g.datasets)
  expect(await rowsOf(first.folder, 'unknown-events.jsonl')).toEqual(g.unknown)
  expect(await rowsOf(first.folder, 'project.jsonl')).toEqual([{ settings: g.settings }])
  await Promise.all([registry.delete(original), registry.delete(projectId)])
  await Promise.all([rm(first.folder, { recursive: true }), rm(second.folder, { recursive: true })])
}

describe('backup → restore → backup (bar 2)', () => {
  it(`is byte-identical for ${RUNS} generated hostile-Unicode projects, read in 1–97 byte chunks`, async () => {
    const started = performance.now()
    let projects = 0
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        projects++
        await roundTrip({ ...g, settings: g.settings })
      }),
      { numRuns: RUNS },
    )
    console.log(
      `backup round trip: ${projects} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    expect(projects).toBeGreaterThanOrEqual(RUNS)
  }, 120_000)

  it('is byte-identical for a project with a 10 MiB hostile string, read in odd-sized chunks', async () => {
    const started = performance.now()
    const unit = pieces.join('') + 'plain ascii '
    let text = unit.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(unit)))
    // End on a lone high surrogate and a CR: the worst possible last characters of a line.
    text += '\ud800\r'
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(10 * 1024 * 1024)
    const g = fc.sample(generated, { numRuns: 1, seed: 42 })[0]!
    const big = makeSample(1, 'batch-a', 'human', text)
    await roundTrip({ ...g, samples: [big], chunkBytes: 65_537 })
    console.log(
      `backup round trip: one 10 MiB string in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
  }, 60_000)
})
