// The renderer's export writer through the real export service: the selected records written per format
// and split, human originals kept, dataset_info.json for LLaMA-Factory, and a manifest whose hashes are the
// files' real hashes and whose row counts are what the pure formatters give for the same records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { writeExport, type ExportChoices } from '../../src-renderer/state/datasets/export-writer'
import { defaultFormatOptions } from '@shared/export/format-options'
import { formatRows } from '@shared/export/formats'
import { defaultDatasetSpec } from '@shared/export/selection/dataset-spec'
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

describe('export writer', () => {
  it('writes every chosen format per split with the manifest naming each file’s real hash', async () => {
    const inputs = fixtureRecords.map((record) => ({ record, tags: [], reviewedAt: null }))
    const spec = { ...defaultDatasetSpec, split: { testFraction: 0, seed: 1 } }
    const outcome = selectDataset(inputs, spec, { sampleIds: [], textHashes: [] })
    if (!outcome.ok) throw new Error('selection refused')
    const choices: ExportChoices = {
      name: 'fixture',
      folder: join(work, 'out'),
      formats: ['sft-messages', 'dpo', 'alpaca'],
      spec,
      formatOptions: defaultFormatOptions,
    }
    const { snapshot, folder } = await writeExport(
      services.handlers,
      projectId,
      { inputs, logSeq: 1 },
      outcome.selection,
      choices,
    )
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as typeof snapshot
    expect(manifest.contentHash).toBe(snapshot.contentHash)
    for (const file of manifest.files) {
      const bytes = await readFile(join(folder, file.path))
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256)
    }
    const accepted = new Set(
      outcome.selection.train.filter((item) => item.kind === 'accepted').map((item) => item.sampleId),
    )
    const records = fixtureRecords.filter((record) => accepted.has(record.sampleId))
    for (const formatId of choices.formats) {
      const expected = formatRows(formatId, records, defaultFormatOptions)
      expect(snapshot.counts.rows[formatId]).toBe(expected.length)
      if (expected.length === 0) continue
      const lines = (await readFile(join(folder, formatId, 'train.jsonl'), 'utf8')).trimEnd().split('\n')
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expected)
    }
    const humans = outcome.selection.train.filter((item) => item.kind === 'human-original')
    expect(snapshot.counts.rows['human-originals']).toBe(humans.length)
    const info = JSON.parse(await readFile(join(folder, 'dataset_info.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(Object.keys(info).length).toBeGreaterThan(0)
    expect(snapshot.splits.train.length).toBeGreaterThan(0)
  })

  it('abandons the export, leaving nothing, when a write fails', async () => {
    const inputs = fixtureRecords.map((record) => ({ record, tags: [], reviewedAt: null }))
    const outcome = selectDataset(inputs, defaultDatasetSpec, { sampleIds: [], textHashes: [] })
    if (!outcome.ok) throw new Error('selection refused')
    const failing = {
      ...services.handlers,
      'export.write': () => Promise.reject(new Error('disk full')),
    }
    await expect(
      writeExport(failing, projectId, { inputs, logSeq: 1 }, outcome.selection, {
        name: 'broken',
        folder: join(work, 'out'),
        formats: ['sft-messages'],
        spec: defaultDatasetSpec,
        formatOptions: defaultFormatOptions,
      }),
    ).rejects.toThrow(/disk full/)
    expect(await readdir(join(work, 'out'))).toEqual([])
  })
})
