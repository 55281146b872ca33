// Backup and restore through the real services: a project with samples, candidates, decisions and a dataset
// snapshot is backed up, restored into a new project and backed up again. The data files must come back
// byte for byte ("byte-identical" is about the data files; the manifest's project, log and time fields
// differ by design), the restored decision chains must verify, and a tampered file must be refused by name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import type { SnapshotDraft } from '@shared/domain/dataset-snapshot'
import { backupFiles, backupManifest } from '../../src-main/services/backup/backup-format'
import { importSpec, makeCandidate, makeSample } from '../factories/log-events'
import { makeDecision } from '../factories/decisions'
import { openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'

let work: string
let out: string
let services: AppServices
let projectId: string

const draft: SnapshotDraft = {
  name: 'stories v1',
  formats: ['sft-messages'],
  spec: { split: { testFraction: 0.1, seed: 7 } },
  formatOptions: { systemPrompt: null },
  logSeq: 3,
  splits: { train: ['s1'], test: [] },
  counts: {
    rows: { 'sft-messages': 1 },
    bySplit: { train: 1 },
    byOrigin: { human: 1 },
    byDepth: {},
    byGeneration: {},
  },
  warnings: [],
}

beforeEach(async () => {
  work = await tempDir('backup')
  out = join(work, 'backups')
  await mkdir(out)
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'stories' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

async function fillProject(): Promise<void> {
  const { registry, handlers: h } = services
  const batchId = 'batch-1'
  const samples = [
    makeSample(1, batchId, 'human', 'Plain text.'),
    makeSample(2, batchId, 'model', 'مرحبا \u202Eevil\u202C 𝕏🦊 NUL\u0000 CR\r LF\n'),
    makeSample(3, batchId, 'unknown', 'lone \ud800 surrogate'),
  ]
  await registry.append(projectId, [
    { kind: 'import.batchStarted', data: { batchId, fileName: 'c.jsonl', sizeBytes: 10, spec: importSpec } },
    { kind: 'samples.imported', data: { batchId, samples } },
    {
      kind: 'import.batchFinished',
      data: {
        batchId,
        status: 'done',
        counts: { read: 3, imported: 3, duplicates: 0, rejected: 0 },
        errors: [],
        errorsTruncated: false,
        message: null,
      },
    },
  ])
  const candidates = samples.map((s) => makeCandidate(s.id, { text: `rewrite of ${s.text}` }))
  await registry.append(projectId, [{ kind: 'candidates.recorded', data: { candidates } }])
  for (const [i, sample] of samples.entries()) {
    await h['review.decide']({
      projectId,
      decision: makeDecision(i === 1 ? 'edit' : 'select', {
        projectId,
        sampleId: sample.id,
        candidateId: candidates[i]!.id,
        shownOrder: [candidates[i]!.id],
        annotator: i === 2 ? 'bob 🦊' : 'alice',
      }),
    })
  }
  const { exportId } = await h['export.open']({ projectId, folder: out, name: 'stories v1' })
  await h['export.write']({ exportId, file: 'train.jsonl', text: '{"a":1}\n' })
  await h['export.finish']({ exportId, snapshot: draft, extraFiles: {} })
  // The lineage: a model generation and a fine-tuning run's loss points, kept in lineage.jsonl.
  await h['monitor.register']({
    projectId,
    generation: {
      label: 'stories260K',
      parentId: null,
      engine: 'llamacpp',
      ggufPath: '/models/stories260K.gguf',
      ollama: null,
      trainingSnapshotId: null,
    },
  })
  await registry.append(projectId, [{ kind: 'training.runProgress', data: { runId: 'run-1', points: [] } }])
  // An event from a newer Winnow: kept in unknown-events.jsonl and restored as it was.
  const { log, state } = await registry.load(projectId)
  for (const event of await log.append([{ kind: 'future.thing', v: 3, data: { x: '🦊' } }]))
    state.apply(event)
}

async function readAll(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const file of backupFiles) files.set(file, await readFile(join(folder, file)))
  return files
}

describe('backup and restore', () => {
  it('backup → restore → backup gives byte-identical data files, and the restored chains verify', async () => {
    await fillProject()
    const h = services.handlers
    const first = await h['backup.create']({ projectId, folder: out })
    expect(first.files.map((f) => f.path)).toEqual([...backupFiles, 'manifest.json'])
    const restored = await h['backup.restore']({ folder: first.folder, name: 'stories restored' })
    expect(restored.counts).toEqual({
      imports: 2,
      samples: 3,
      candidates: 3,
      decisions: 3,
      datasets: 1,
      lineage: 2,
      unknownEvents: 1,
    })
    expect(restored.projectId).not.toBe(projectId)
    expect(await h['review.verify']({ projectId: restored.projectId })).toEqual({
      ok: true,
      decisions: 3,
      chains: 2,
    })
    const second = await h['backup.create']({ projectId: restored.projectId, folder: out })
    const [a, b] = [await readAll(first.folder), await readAll(second.folder)]
    for (const file of backupFiles) expect(b.get(file)!.equals(a.get(file)!), file).toBe(true)
    expect(a.get('samples.jsonl')!.toString('utf8')).toContain('\\u0000')
    expect(a.get('samples.jsonl')!.toString('utf8')).toContain('\\ud800')
    expect(a.get('lineage.jsonl')!.toString('utf8')).toContain('stories260K')

    const m1 = backupManifest.parse(JSON.parse(await readFile(join(first.folder, 'manifest.json'), 'utf8')))
    const m2 = backupManifest.parse(JSON.parse(await readFile(join(second.folder, 'manifest.json'), 'utf8')))
    expect(m2.files).toEqual(m1.files)
    expect(m2.eventVersions).toEqual(m1.eventVersions)
    expect(m2.project.id).toBe(restored.projectId)
    expect(m2.project.name).toBe('stories restored')
    expect(m2.log.logId).not.toBe(m1.log.logId)

    // The restored project is a working project: a new decision seals onto it and still verifies.
    await h['review.decide']({
      projectId: restored.projectId,
      decision: makeDecision('skip', { projectId: restored.projectId, sampleId: 's-batch-1-1' }),
    })
    expect((await h['review.verify']({ projectId: restored.projectId })).ok).toBe(true)
    const summary = await h['projects.open']({ projectId: restored.projectId })
    expect(summary.sampleCount).toBe(3)
    expect((await h['projects.list']({})).length).toBe(2)
  })

  it('restores a version 1 backup, which has no lineage file', async () => {
    await fillProject()
    const h = services.handlers
    const { folder } = await h['backup.create']({ projectId, folder: out })
    const manifestPath = join(folder, 'manifest.json')
    const manifest = backupManifest.parse(JSON.parse(await readFile(manifestPath, 'utf8')))
    const v1 = {
      ...manifest,
      formatVersion: 1,
      files: manifest.files.filter((file) => file.path !== 'lineage.jsonl'),
    }
    await writeFile(manifestPath, JSON.stringify(v1))
    await rm(join(folder, 'lineage.jsonl'))
    const restored = await h['backup.restore']({ folder, name: 'from version 1' })
    expect(restored.counts).toMatchObject({ samples: 3, decisions: 3, lineage: 0 })
  })

  it('refuses a backup whose file does not match the manifest, naming the file, and creates nothing', async () => {
    await fillProject()
    const h = services.handlers
    const { folder } = await h['backup.create']({ projectId, folder: out })
    await appendFile(join(folder, 'decisions.jsonl'), ' ')
    await expect(h['backup.restore']({ folder, name: 'x' })).rejects.toThrow(/decisions\.jsonl .*SHA-256/)
    expect((await h['projects.list']({})).length).toBe(1)
  })

  it('refuses a row that is not valid even when the manifest was rewritten to match it', async () => {
    const h = services.handlers
    const { folder } = await h['backup.create']({ projectId, folder: out })
    const manifestPath = join(folder, 'manifest.json')
    const manifest = backupManifest.parse(JSON.parse(await readFile(manifestPath, 'utf8')))
    const bad = '{"id":"s1"}\n'
    await writeFile(join(folder, 'samples.jsonl'), bad)
    const { createHash } = await import('node:crypto')
    const entry = manifest.files.find((f) => f.path === 'samples.jsonl')!
    Object.assign(entry, {
      rows: 1,
      bytes: bad.length,
      sha256: createHash('sha256').update(bad).digest('hex'),
    })
    await writeFile(manifestPath, JSON.stringify(manifest))
    await expect(h['backup.restore']({ folder, name: 'x' })).rejects.toThrow(/samples\.jsonl line 1/)
    expect((await h['projects.list']({})).length).toBe(1)
    expect((await readdir(join(work, 'data', 'projects'))).length).toBe(1)
  })
})
