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
  expect(snapshot.splits.train).toEqual([...new Set(reference.selection.train.map((i) => i.sampleId))])
  for (const split of ['train', 'test'] as const) {
    const items = reference.selection[split]
    const accepted = new Set(items.filter((i) => i.kind === 'accepted').map((i) => i.sampleId))
    // In the order the records were read.
    const records = inputs.map((input) => input.record).filter((r) => accepted.has(r.sampleId))
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
    const accepted = new Set(
      reference.selection.train.filter((i) => i.kind === 'accepted').map((i) => i.sampleId),
    )
    for (const formatId of choices.formats)
      expect(snapshot.counts.rows[formatId]).toBe(
        formatRows(
          formatId,
          fixtureRecords.filter((r) => accepted.has(r.sampleId)),
          defaultFormatOptions,
        ).length,
      )
    const info = JSON.parse(await readFile(join(folder, 'dataset_info.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(Object.keys(info).length).toBeGreaterThan(0)
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
