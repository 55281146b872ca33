// Opening a project folds its state in the log's verification pass (ProjectLog.open's onVerifiedEvent)
// rather than reading the log a second time: the state must equal a fold of a full replay, and a log that
// open() had to repair is read again, so the state is that of the repaired log.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { appendFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { EventHub } from '../../src-main/ipc/event-hub'
import { ProjectLog } from '../../src-main/log/project-log'
import { ProjectRegistry } from '../../src-main/services/projects/project-registry'
import { ProjectState } from '../../src-main/services/projects/project-state'
import { cleanup, tempDir } from '../e2e/harness'
import { jobSettled, openTestServices } from '../fakes/test-services'
import { decisionIdOf, makeDecision } from '../factories/decisions'
import { jsonlImportSpec } from '../factories/import-spec'

let work: string
let dataDir: string
let projectId: string

/** Everything a ProjectState holds, comparably. */
function describeState(state: ProjectState): unknown {
  return {
    name: state.name,
    createdAt: state.createdAt,
    settings: state.settings,
    sampleCount: state.sampleCount,
    nextOrd: state.nextOrd,
    eventCount: state.eventCount,
    lastSeq: state.lastSeq,
    batches: [...state.batches],
    jobs: [...state.jobs],
    hashes: state.hashes.size,
    candidateCount: state.candidateCount,
    candidateSlots: [...state.candidateSlots],
    decisionCount: state.decisionCount,
    decisionsBySample: [...state.decisionsBySample],
    decisionIds: [...state.decisionIds],
  }
}

/** The reference: the project's log replayed from the start into a fresh state (the log closed after). */
async function replayedState(): Promise<ProjectState> {
  const log = await ProjectLog.open(join(dataDir, 'projects', projectId, 'log'))
  const state = new ProjectState()
  try {
    for await (const event of log.replay()) state.apply(event)
  } finally {
    await log.close()
  }
  return state
}

/** A fresh registry's state of the project, and how many times it replayed a log to get it. */
async function openedState(): Promise<{ state: unknown; replays: number }> {
  const replay = vi.spyOn(ProjectLog.prototype, 'replay')
  const registry = new ProjectRegistry(dataDir, new EventHub())
  try {
    const state = describeState(await registry.state(projectId))
    return { state, replays: replay.mock.calls.length }
  } finally {
    replay.mockRestore()
    await registry.close()
  }
}

beforeEach(async () => {
  work = await tempDir('project-open')
  dataDir = join(work, 'data')
  const services = await openTestServices(dataDir)
  try {
    projectId = (await services.handlers['projects.create']({ name: 'open me' })).id
    const corpus = join(work, 'corpus.jsonl')
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `r${i}`, text: `Story ${i}.` }))
    await writeFile(corpus, `${lines.join('\n')}\n`)
    const { jobId } = await services.handlers['import.start']({ projectId, spec: jsonlImportSpec(corpus) })
    expect((await jobSettled(services, jobId)).status).toBe('done')
    let id = 1
    const decide = (kind: 'select' | 'flag' | 'skip', sampleId: string) =>
      services.handlers['review.decide']({
        projectId,
        decision: makeDecision(kind, { id: decisionIdOf(id++), projectId, sampleId }),
      })
    await decide('select', 's1')
    await decide('flag', 's1')
    await decide('skip', 's2')
    await services.handlers['projects.rename']({ projectId, name: 'opened' })
  } finally {
    await services.close()
  }
})

afterEach(() => cleanup(work))

describe('opening a project', () => {
  it('folds its state in the verification pass, equal to a fold of a full replay', async () => {
    const reference = describeState(await replayedState())
    const opened = await openedState()
    expect(opened.replays).toBe(0)
    expect(opened.state).toEqual(reference)
    expect(reference).toMatchObject({ name: 'opened', sampleCount: 30, decisionCount: 3 })
  })

  it('reads a log again that open() had to repair, and holds the repaired log state', async () => {
    const before = describeState(await replayedState()) as { lastSeq: number }
    const dir = join(dataDir, 'projects', projectId, 'log')
    const openSegment = (await readdir(dir))
      .filter((name) => /^seg-\d+\.jsonl$/.test(name))
      .sort()
      .at(-1)!
    await appendFile(join(dir, openSegment), '0badc0de {"torn": tr') // a write cut short by a crash
    const opened = await openedState()
    expect(opened.replays).toBe(1)
    expect(opened.state).toEqual(describeState(await replayedState()))
    expect(opened.state).toMatchObject({ lastSeq: before.lastSeq })
  })
})
