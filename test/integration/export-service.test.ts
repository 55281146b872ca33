// Writing an export through the real services: lines streamed to files in a new folder, the manifest
// written last with every file's real SHA-256, the frozen snapshot recorded in the project log (and still
// there after a restart), and an abandoned export leaving no temporary file and no manifest behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import type { SnapshotDraft } from '@shared/domain/dataset-snapshot'
import { contentHash } from '../../src-main/services/export/export-service'
import { openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'

let work: string
let out: string
let services: AppServices
let projectId: string

const draft: SnapshotDraft = {
  name: 'stories v1',
  formats: ['sft-messages', 'dpo'],
  spec: { split: { testFraction: 0.1, seed: 7 } },
  formatOptions: { systemPrompt: null },
  logSeq: 3,
  splits: { train: ['s1', 's2'], test: ['s3'] },
  counts: {
    rows: { 'sft-messages': 3, dpo: 2 },
    bySplit: { train: 2, test: 1 },
    byOrigin: { human: 3 },
    byDepth: { '1': 3 },
    byGeneration: { '0': 3 },
  },
  warnings: [],
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

beforeEach(async () => {
  work = await tempDir('export')
  out = join(work, 'exports')
  await mkdir(out)
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'export' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

describe('export service', () => {
  it('writes the files, then a manifest whose hashes are the files’ real hashes, and records the snapshot', async () => {
    const h = services.handlers
    const { exportId, folder, name } = await h['export.open']({ projectId, folder: out, name: 'stories v1' })
    expect(name).toBe('stories v1')
    for (let i = 0; i < 3; i++) {
      await h['export.write']({ exportId, file: 'sft/train.jsonl', text: `{"i":${i},"t":"é 𝕏"}\n` })
      await h['export.write']({ exportId, file: 'dpo/train.jsonl', text: `{"p":${i}}\n` })
    }
    const { snapshot, manifest } = await h['export.finish']({
      exportId,
      snapshot: draft,
      extraFiles: { 'README.md': '# stories v1\n' },
    })
    expect(snapshot.files.map((f) => f.path)).toEqual(['README.md', 'dpo/train.jsonl', 'sft/train.jsonl'])
    for (const file of snapshot.files) {
      const bytes = await readFile(join(folder, file.path))
      expect(file.sha256).toBe(sha256(bytes))
      expect(file.bytes).toBe(bytes.length)
    }
    const onDisk = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as typeof snapshot
    expect(onDisk).toEqual(snapshot)
    expect(manifest.sha256).toBe(sha256(await readFile(join(folder, 'manifest.json'))))
    expect(snapshot.contentHash).toBe(contentHash(draft.splits, snapshot.files))
    expect(snapshot).toMatchObject({ projectId, appVersion: 'test', splits: draft.splits, logSeq: 3 })

    // The snapshot is a fact of the project: in the log, and still there after a restart.
    await services.close()
    services = await openTestServices(join(work, 'data'))
    const read = await services.handlers['log.read']({
      projectId,
      afterSeq: 0,
      maxEvents: 10_000,
      maxBytes: 1 << 20,
    })
    const exported = read.events.filter((event) => event.kind === 'dataset.exported')
    expect(exported).toHaveLength(1)
    expect((exported[0]!.data as { snapshot: unknown }).snapshot).toEqual(snapshot)
  })

  it('gives the same content hash to the same rows exported twice, in another folder', async () => {
    const h = services.handlers
    const hashes: string[] = []
    for (let round = 0; round < 2; round++) {
      const { exportId } = await h['export.open']({ projectId, folder: out, name: 'again' })
      await h['export.write']({ exportId, file: 'train.jsonl', text: '{"a":1}\n' })
      hashes.push(
        (await h['export.finish']({ exportId, snapshot: draft, extraFiles: {} })).snapshot.contentHash,
      )
    }
    expect(new Set(hashes).size).toBe(1)
    expect((await readdir(out)).sort()).toEqual(['again', 'again (2)'])
  })

  it('keeps hostile file names inside the export folder', async () => {
    const h = services.handlers
    const { exportId, folder } = await h['export.open']({ projectId, folder: out, name: '../../escape' })
    await h['export.write']({ exportId, file: '../../../outside.jsonl', text: 'x\n' })
    const { snapshot } = await h['export.finish']({ exportId, snapshot: draft, extraFiles: {} })
    expect(folder.startsWith(out)).toBe(true)
    expect(snapshot.files.every((f) => !f.path.includes('..'))).toBe(true)
    expect(await readdir(work)).toEqual(expect.arrayContaining(['data', 'exports']))
    expect((await readdir(work)).length).toBe(2)
  })

  it('leaves nothing when abandoned, refuses calls after, and refuses a missing folder', async () => {
    const h = services.handlers
    const { exportId } = await h['export.open']({ projectId, folder: out, name: 'dropped' })
    await h['export.write']({ exportId, file: 'train.jsonl', text: '{"a":1}\n' })
    await h['export.abort']({ exportId })
    expect(await readdir(out)).toEqual([])
    await expect(h['export.write']({ exportId, file: 'train.jsonl', text: 'x\n' })).rejects.toThrow(
      /no longer open/,
    )
    await expect(h['export.open']({ projectId, folder: join(out, 'nope'), name: 'x' })).rejects.toThrow(
      /choose an existing folder/,
    )
  })
})
