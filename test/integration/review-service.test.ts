// Review decisions through the real services and project log: sealed onto per-annotator chains that
// survive a restart, serialised under concurrent key presses, idempotent by id, undo checked against what
// is in effect, and "Verify provenance" naming a decision changed on disk behind the app's back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppServices } from '../../src-main/services/app-services'
import { encodeLine } from '../../src-main/log/segment-format'
import type { UnsealedDecision } from '@shared/domain/decision'
import { openTestServices } from '../fakes/test-services'
import { cleanup, tempDir } from '../e2e/harness'
import { decisionIdOf, makeDecision } from '../factories/decisions'

let work: string
let services: AppServices
let projectId: string
let nextId = 1

const decision = (
  kind: UnsealedDecision['kind'],
  overrides: Partial<UnsealedDecision> = {},
): UnsealedDecision => makeDecision(kind, { id: decisionIdOf(nextId++), projectId, ...overrides })

const decide = (d: UnsealedDecision) => services.handlers['review.decide']({ projectId, decision: d })

beforeEach(async () => {
  work = await tempDir('review')
  services = await openTestServices(join(work, 'data'))
  projectId = (await services.handlers['projects.create']({ name: 'review' })).id
})

afterEach(async () => {
  await services.close()
  await cleanup(work)
})

describe('review decisions', () => {
  it('chains each annotator separately, across a restart, and verifies', async () => {
    const first = await decide(decision('select', { sampleId: 's1', annotator: 'alice' }))
    expect(first.decision.prevHash).toBeNull()
    const second = await decide(decision('flag', { sampleId: 's2', annotator: 'alice' }))
    expect(second.decision.prevHash).toBe(first.decision.hash)
    const bob = await decide(decision('skip', { sampleId: 's1', annotator: 'bob' }))
    expect(bob.decision.prevHash).toBeNull()
    expect(second.seq).toBeGreaterThan(first.seq)

    await services.close()
    services = await openTestServices(join(work, 'data'))
    const third = await decide(decision('note', { sampleId: 's1', annotator: 'alice' }))
    expect(third.decision.prevHash).toBe(second.decision.hash)
    expect(await services.handlers['review.verify']({ projectId })).toEqual({
      ok: true,
      decisions: 4,
      chains: 2,
    })
  })

  it('seals concurrent decisions one after another onto the same chain', async () => {
    const decided = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        decide(decision('select', { sampleId: `s${i}`, candidateId: 'c1' })),
      ),
    )
    const hashes = new Set(decided.map((d) => d.decision.prevHash))
    expect(hashes.size).toBe(20)
    expect(await services.handlers['review.verify']({ projectId })).toMatchObject({ ok: true, decisions: 20 })
  })

  it('answers a retried decision with the one recorded, and refuses an undo of what is not in effect', async () => {
    const select = decision('select', { sampleId: 's1' })
    const once = await decide(select)
    const again = await decide(select)
    expect(again.decision).toEqual(once.decision)

    const undo = decision('undo', { sampleId: 's1', undoes: select.id })
    await decide(undo)
    // The same target twice, an undo of the undo, and a decision of another sample: nothing in effect.
    await expect(decide(decision('undo', { sampleId: 's1', undoes: select.id }))).rejects.toMatchObject({
      code: 'conflict',
    })
    await expect(decide(decision('undo', { sampleId: 's1', undoes: undo.id }))).rejects.toMatchObject({
      code: 'conflict',
    })
    const other = await decide(decision('skip', { sampleId: 's2' }))
    await expect(
      decide(decision('undo', { sampleId: 's1', undoes: other.decision.id })),
    ).rejects.toMatchObject({
      code: 'conflict',
    })
    expect(await services.handlers['review.verify']({ projectId })).toEqual({
      ok: true,
      decisions: 3,
      chains: 1,
    })
  })

  it('refuses a decision for another project', async () => {
    await expect(decide(decision('skip', { projectId: 'someone-else' }))).rejects.toMatchObject({
      code: 'invalid-payload',
    })
  })

  it('names the decision that was changed on disk, even with its line checksum redone', async () => {
    await decide(decision('select', { sampleId: 's1', candidateId: 'c1' }))
    const target = await decide(decision('select', { sampleId: 's2', candidateId: 'c1' }))
    await decide(decision('select', { sampleId: 's3', candidateId: 'c1' }))
    await services.close()

    // Someone edits the second decision's choice and fixes the line's CRC, so the log itself opens cleanly.
    const logDir = await findLogDir(join(work, 'data'))
    const [segment] = (await readdir(logDir)).filter((name) => name.endsWith('.jsonl'))
    const path = join(logDir, segment!)
    const lines = (await readFile(path, 'utf8')).split('\n')
    const at = lines.findIndex(
      (line) => line.includes(target.decision.id) && line.includes('decision.recorded'),
    )
    expect(at).toBeGreaterThan(0)
    const json = lines[at]!.slice(9).replace('"candidateId":"c1"', '"candidateId":"c2"')
    lines[at] = encodeLine(json).toString('utf8').trimEnd()
    await writeFile(path, lines.join('\n'))

    services = await openTestServices(join(work, 'data'))
    expect(await services.handlers['review.verify']({ projectId })).toMatchObject({
      ok: false,
      decisions: 1,
      broken: { decisionId: target.decision.id, reason: 'hash-mismatch', index: 1 },
    })
  })
})

async function findLogDir(dataDir: string): Promise<string> {
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === 'log') return join(entry.parentPath, entry.name)
  }
  throw new Error(`no project log under ${dataDir}`)
}
