// The renderer's streaming export writer through the real export service: the selected records written per
// format and split in the order they were read, human originals kept, dataset_info.json for LLaMA-Factory,
// and a manifest whose hashes are the files' real hashes and whose row counts are what the pure formatters
// give for the records the selection keeps. Rows streamed out before dedup dropped their item are gone from
// the files; the test fails on a writer that keeps them (see "drops …").
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import {
  writeExport,
  type ExportChoices,
  type ExportSource,
  type WriteOutcome,
} from '../../src-renderer/state/datasets/export-writer'
import type { ExportRecord } from '@shared/export/export-record'
import { defaultFormatOptions } from '@shared/export/format-options'
import { formatRows } from '@shared/export/formats'
import { defaultDatasetSpec, type DatasetSpec } from '@shared/export/selection/dataset-spec'
import type { SelectionInput } from '@shared/export/selection/items'
import { noProtectedSets } from '@shared/export/selection/probe-guard'
import { selectDataset } from '@shared/export/selection/select-dataset'
import { fixtureRecords } from '../unit/export/fixture-project'
import { openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { parquetReadObjects } from 'hyparquet'
import { parse as parseYaml } from 'yaml'
import { DatasetFolder } from '../../src-main/services/export/dataset-folder'
import { writeHuggingFaceFolder } from '../../src-main/services/export/hf-folder'

let work: string
let services: AppServices
let projectId: string

beforeEach(async () => {
  work = await tempDir('export-writer')
  await mkdir(join(work, 'out'))
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'writer' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

const inputsOf = (records: readonly ExportRecord[]): SelectionInput[] =>
  records.map((record) => ({ record, tags: [], reviewedAt: null }))

/** Pages of two, as the store's scan hands them over. */
function sourceOf(inputs: readonly SelectionInput[]): ExportSource {
  return {
    logSeq: 1,
    total: inputs.length,
    async scan(visit) {
      for (let i = 0; i < inputs.length; i += 2) await visit(inputs.slice(i, i + 2))
    },
  }
}

function choicesFor(spec: DatasetSpec, formats: ExportChoices['formats']): ExportChoices {
  return {
    name: 'fixture',
    folder: join(work, 'out'),
    formats,
    spec,
    formatOptions: defaultFormatOptions,
    protectedSets: noProtectedSets,
    huggingFace: null,
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** Checks the files against the in-memory selection of the same inputs; answers the rows per format. */
async function expectFilesMatchSelection(
  outcome: WriteOutcome,
  inputs: readonly SelectionInput[],
  choices: ExportChoices,
): Promise<void> {
  if (!outcome.ok) throw new Error('export refused')
  const { snapshot, folder } = outcome
  const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as typeof snapshot
  expect(manifest.contentHash).toBe(snapshot.contentHash)
  for (const file of manifest.files)
    expect(sha256(await readFile(join(folder, file.path))), file.path).toBe(file.sha256)

  const reference = selectDataset(inputs, choices.spec, noProtectedSets)
  if (!reference.ok) throw new Error('selection refused')
  const { negatives } = reference.selection
  expect(snapshot.splits.train).toEqual([
    ...new Set([...reference.selection.train.map((i) => i.sampleId), ...negatives.train]),
  ])
  for (const split of ['train', 'test'] as const) {
    const items = reference.selection[split]
    // Accepted texts, and the negatives of reject-all and flags (rows only in KTO and critique).
    const formatted = new Set(items.filter((i) => i.kind === 'accepted').map((i) => i.sampleId))
    for (const sampleId of negatives[split]) formatted.add(sampleId)
    // In the order the records were read.
    const records = inputs.map((input) => input.record).filter((r) => formatted.has(r.sampleId))
    for (const formatId of choices.formats) {
      const expected = formatRows(formatId, records, choices.formatOptions)
      const path = join(folder, formatId, `${split}.jsonl`)
      if (expected.length === 0) {
        await expect(readFile(path)).rejects.toThrow(/ENOENT/)
        continue
      }
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expected)
    }
    const humanIds = new Set(items.filter((i) => i.kind === 'human-original').map((i) => i.sampleId))
    const humans = inputs.map((input) => input.record).filter((r) => humanIds.has(r.sampleId))
    if (humans.length > 0) {
      const lines = (await readFile(join(folder, 'human-originals', `${split}.jsonl`), 'utf8')).trimEnd()
      expect(lines.split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(
        humans.map((r) => ({ text: r.source.text })),
      )
    }
  }
}

describe('streaming export writer', () => {
  it('writes every chosen format per split with the manifest naming each file’s real hash', async () => {
    const inputs = inputsOf(fixtureRecords)
    const choices = choicesFor({ ...defaultDatasetSpec, split: { testFraction: 0, seed: 1 } }, [
      'sft-messages',
      'dpo',
      'alpaca',
    ])
    const outcome = await writeExport(services.handlers, projectId, sourceOf(inputs), choices)
    await expectFilesMatchSelection(outcome, inputs, choices)
    if (!outcome.ok) return
    const { snapshot, folder } = outcome
    const reference = selectDataset(inputs, choices.spec, noProtectedSets)
    if (!reference.ok) return
    const formatted = new Set([
      ...reference.selection.train.filter((i) => i.kind === 'accepted').map((i) => i.sampleId),
      ...reference.selection.negatives.train,
    ])
    for (const formatId of choices.formats)
      expect(snapshot.counts.rows[formatId]).toBe(
        formatRows(
          formatId,
          fixtureRecords.filter((r) => formatted.has(r.sampleId)),
          defaultFormatOptions,
        ).length,
      )
    const info = JSON.parse(await readFile(join(folder, 'dataset_info.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(Object.keys(info).length).toBeGreaterThan(0)
  })

  it('writes reject-all as KTO false rows and critique rows, unless negatives are left out', async () => {
    const inputs = inputsOf(fixtureRecords)
    const spec = { ...defaultDatasetSpec, split: { testFraction: 0, seed: 1 } }
    const choices = choicesFor(spec, ['kto', 'critique', 'dpo'])
    const outcome = await writeExport(services.handlers, projectId, sourceOf(inputs), choices)
    await expectFilesMatchSelection(outcome, inputs, choices)
    if (!outcome.ok) return
    expect(outcome.selection.negatives.train).toContain('s3') // the fixture's reject-all
    const kto = (await jsonlRows(join(outcome.folder, 'kto', 'train.jsonl'))) as {
      completion: string
      label: boolean
    }[]
    const rejected = fixtureRecords.find((r) => r.sampleId === 's3')!
    for (const candidate of rejected.candidates)
      expect(kto).toContainEqual(expect.objectContaining({ completion: candidate.text, label: false }))

    const without = choicesFor({ ...spec, filter: { ...spec.filter, negatives: false } }, ['kto'])
    const left = await writeExport(services.handlers, projectId, sourceOf(inputs), without)
    await expectFilesMatchSelection(left, inputs, without)
    if (!left.ok) return
    expect(left.selection.negatives.train).toEqual([])
    expect(left.snapshot.splits.train).not.toContain('s3')
    const rows = (await jsonlRows(join(left.folder, 'kto', 'train.jsonl'))) as { completion: string }[]
    for (const candidate of rejected.candidates)
      expect(rows.map((row) => row.completion)).not.toContain(candidate.text)
  })

  it('drops the rows of items that dedup removes after they were streamed out', async () => {
    // Every record twice under another sample id: the copies come later in the scan and are written at once,
    // then exact dedup drops each copy's items (same texts); their lines must be gone from every file.
    const copies = fixtureRecords.map((record) => ({ ...record, sampleId: `copy-${record.sampleId}` }))
    const inputs = inputsOf([...fixtureRecords, ...copies])
    const choices = choicesFor({ ...defaultDatasetSpec, split: { testFraction: 0.5, seed: 3 } }, [
      'sft-messages',
      'dpo',
    ])
    const outcome = await writeExport(services.handlers, projectId, sourceOf(inputs), choices)
    if (!outcome.ok) throw new Error('export refused')
    const drops = outcome.selection.dropped.find((group) => group.reason === 'duplicate:exact')
    expect(drops?.ids.length).toBeGreaterThan(0)
    await expectFilesMatchSelection(outcome, inputs, choices)
    for (const file of outcome.snapshot.files) expect(file.lines, file.path).toBeGreaterThan(0)
  })

  it('abandons the export, leaving nothing, when a write fails', async () => {
    const failing = { ...services.handlers, 'export.write': () => Promise.reject(new Error('disk full')) }
    await expect(
      writeExport(
        failing,
        projectId,
        sourceOf(inputsOf(fixtureRecords)),
        choicesFor(defaultDatasetSpec, ['sft-messages']),
      ),
    ).rejects.toThrow(/disk full/)
    expect(await readdir(join(work, 'out'))).toEqual([])
  })
})

/** Every row of a split's Parquet files, in shard order, read back with hyparquet. */
async function parquetRows(folder: string, split: string): Promise<unknown[]> {
  const shards = (await readdir(join(folder, 'data'))).filter((name) => name.startsWith(`${split}-`)).sort()
  const rows: unknown[] = []
  for (const shard of shards) {
    const bytes = await readFile(join(folder, 'data', shard))
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    rows.push(...(await parquetReadObjects({ file })))
  }
  return rows
}

const jsonlRows = async (path: string): Promise<unknown[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)

describe('Hugging Face dataset folder', () => {
  it('holds exactly the rows the JSONL files keep, as Parquet, with a card that points at them', async () => {
    const copies = fixtureRecords.map((record) => ({ ...record, sampleId: `copy-${record.sampleId}` }))
    const inputs = inputsOf([...fixtureRecords, ...copies]) // dedup drops lines already streamed out
    const choices = {
      ...choicesFor({ ...defaultDatasetSpec, split: { testFraction: 0.5, seed: 3 } }, [
        'sft-messages',
        'dpo',
      ]),
      huggingFace: { formatId: 'dpo' as const, license: 'cc-by-4.0' },
    }
    const outcome = await writeExport(services.handlers, projectId, sourceOf(inputs), choices)
    await expectFilesMatchSelection(outcome, inputs, choices) // manifest hashes cover the new files too
    if (!outcome.ok) return
    const { folder, snapshot } = outcome
    const card = await readFile(join(folder, 'README.md'), 'utf8')
    const meta = parseYaml(card.split('---\n')[1] ?? '') as {
      license: string
      configs: { data_files: { split: string; path: string }[] }[]
      dataset_info: { splits: { name: string; num_examples: number }[] }
    }
    expect(meta.license).toBe('cc-by-4.0')
    const splits = meta.dataset_info.splits.map((split) => split.name).sort()
    expect(splits.length).toBeGreaterThan(0)
    for (const split of splits) {
      const expected = await jsonlRows(join(folder, 'dpo', `${split}.jsonl`))
      expect(expected.length).toBeGreaterThan(0)
      expect(await parquetRows(folder, split)).toEqual(expected)
      expect(meta.dataset_info.splits.find((s) => s.name === split)?.num_examples).toBe(expected.length)
      expect(meta.configs[0]?.data_files).toContainEqual({ split, path: `data/${split}-*.parquet` })
    }
    const listed = snapshot.files.map((file) => file.path)
    expect(listed).toContain('README.md')
    expect(listed.filter((path) => path.endsWith('.parquet')).length).toBe(splits.length)
  })

  it('shards a split into files of at most the shard size, named as the Hub names them', async () => {
    const folder = await DatasetFolder.create(join(work, 'out'), 'shards')
    const rows = Array.from({ length: 5 }, (_, i) => ({
      prompt: `p${i}`,
      chosen: `c${i}`,
      rejected: `r${i}`,
    }))
    const sink = await folder.openFile('dpo/train.jsonl')
    await sink.write(rows.map((row) => `${JSON.stringify(row)}\n`).join(''))
    const written = await sink.close()
    const draft = {
      name: 'shards',
      formats: ['dpo'],
      spec: {},
      formatOptions: { ...defaultFormatOptions },
      logSeq: 1,
      splits: { train: [], test: [] },
      counts: { rows: {}, bySplit: {}, byOrigin: {}, byDepth: {}, byGeneration: {} },
      warnings: [],
    }
    const files = await writeHuggingFaceFolder(
      folder,
      { formatId: 'dpo', license: 'mit' },
      draft,
      [written],
      2,
    )
    expect(files.map((file) => file.path)).toEqual([
      'data/train-00000-of-00003.parquet',
      'data/train-00001-of-00003.parquet',
      'data/train-00002-of-00003.parquet',
      'README.md',
    ])
    expect(await parquetRows(folder.dir, 'train')).toEqual(rows)
  })

  it('refuses a format without fixed columns, and one the export does not write, and keeps nothing', async () => {
    for (const formatId of ['distillation', 'kto'] as const) {
      const choices = {
        ...choicesFor(defaultDatasetSpec, ['sft-messages', 'distillation']),
        huggingFace: { formatId, license: 'other' },
      }
      await expect(
        writeExport(services.handlers, projectId, sourceOf(inputsOf(fixtureRecords)), choices),
      ).rejects.toThrow(formatId === 'distillation' ? /no fixed columns/ : /does not write/)
    }
    expect(await readdir(join(work, 'out'))).toEqual([])
  })
})
