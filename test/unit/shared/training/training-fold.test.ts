// The fold of run events (idempotent, first end wins, snapshot summaries without their id lists) and the
// start-up rule: a run that started and never finished, and is not training in this process, is interrupted.
import { describe, expect, it } from 'vitest'
import { logEventVersions, type LogEvent } from '@shared/domain/log-events'
import type { TrainingRunFinished, TrainingRunStarted } from '@shared/domain/training-run'
import { interruptedRuns, TrainingFold } from '@shared/training/training-fold'

let seq = 0
function event(kind: keyof typeof logEventVersions, data: unknown): LogEvent {
  seq++
  return { seq, id: `e${seq}`, v: logEventVersions[kind], kind, at: '2026-01-01T00:00:00Z', data }
}

const digest = 'a'.repeat(64)
const started = (runId: string, jobId: string, at: string): TrainingRunStarted => ({
  runId,
  jobId,
  spec: {
    snapshotId: 'snap',
    recipeId: 'custom',
    parentGenerationId: 'g0',
    hyperparameters: {},
    customArgv: ['trainer'],
    python: null,
    ollamaHost: null,
    label: null,
  },
  recipeLabel: 'Custom command',
  baseModel: { path: '/m/base.gguf', sha256: digest },
  dataset: {
    name: 'train.txt',
    path: '/w/train.txt',
    bytes: 10,
    sha256: digest,
    format: 'plain-text',
    rows: 2,
  },
  argv: ['trainer'],
  workDir: '/w',
  startedAt: at,
})
const finished = (runId: string, status: TrainingRunFinished['status']): TrainingRunFinished => ({
  runId,
  status,
  error: null,
  outputs: [],
  seconds: 1,
  generationId: null,
  ollamaModel: null,
  logTail: '',
  finishedAt: '2026-01-01T00:01:00Z',
})
const point = (step: number) => ({
  step,
  total: 10,
  loss: 3 - step / 10,
  lr: null,
  phase: 'train' as const,
  seconds: step,
})

describe('TrainingFold', () => {
  it('folds starts, curves and ends by run id; the same event twice changes nothing; the first end wins', () => {
    const fold = new TrainingFold()
    const start = event('training.runStarted', { run: started('r1', 'j1', '2026-01-01T00:00:00Z') })
    const progress = event('training.runProgress', { runId: 'r1', points: [point(1), point(2)] })
    fold.apply(start)
    fold.apply(progress)
    fold.apply(progress)
    fold.apply(start)
    fold.apply(event('training.runFinished', { run: finished('r1', 'done') }))
    fold.apply(event('training.runFinished', { run: finished('r1', 'interrupted') }))
    const run = fold.runOfJob('j1')!
    expect(run.points.map((p) => p.step)).toEqual([1, 2])
    expect(run.finished?.status).toBe('done')
    // Progress or an end for a run never started is ignored rather than invented.
    fold.apply(event('training.runFinished', { run: finished('ghost', 'done') }))
    expect([...fold.runs.keys()]).toEqual(['r1'])
  })

  it('lists runs newest first and summarises snapshots without their id lists', () => {
    const fold = new TrainingFold()
    fold.apply(event('training.runStarted', { run: started('old', 'j1', '2026-01-01T00:00:00Z') }))
    fold.apply(event('training.runStarted', { run: started('new', 'j2', '2026-01-02T00:00:00Z') }))
    expect(fold.list().map((r) => r.started.runId)).toEqual(['new', 'old'])
    fold.apply(
      event('dataset.exported', {
        snapshot: {
          id: 's1',
          projectId: 'p',
          name: 'v1',
          formats: ['sft-messages'],
          spec: { filter: 'x' },
          formatOptions: {},
          logSeq: 3,
          splits: { train: ['a', 'b', 'c'], test: ['d'] },
          counts: { rows: {}, bySplit: {}, byOrigin: { human: 1, model: 3 }, byDepth: {}, byGeneration: {} },
          warnings: [],
          createdAt: '2026-01-01T00:00:00Z',
          appVersion: 't',
          schemaVersion: 1,
          folder: '/x',
          files: [],
          contentHash: digest,
        },
      }),
    )
    const summary = fold.snapshots.get('s1')!
    expect(summary).toMatchObject({
      name: 'v1',
      trainRows: 3,
      testRows: 1,
      counts: { byOrigin: { model: 3 } },
    })
    expect('splits' in summary).toBe(false)
  })
})

describe('interruptedRuns', () => {
  it('ends every started, unfinished run that is not live as interrupted, and nothing else', () => {
    const fold = new TrainingFold()
    for (const [runId, jobId] of [
      ['done', 'j1'],
      ['dead', 'j2'],
      ['live', 'j3'],
    ])
      fold.apply(event('training.runStarted', { run: started(runId!, jobId!, '2026-01-01T00:00:00Z') }))
    fold.apply(event('training.runFinished', { run: finished('done', 'done') }))
    const now = new Date('2026-02-01T00:00:00Z')
    const ends = interruptedRuns(fold.runs.values(), (runId) => runId === 'live', now)
    expect(ends).toEqual([
      expect.objectContaining({
        runId: 'dead',
        status: 'interrupted',
        generationId: null,
        outputs: [],
        finishedAt: now.toISOString(),
        error: expect.stringMatching(/Start a new run/) as unknown,
      }),
    ])
    // Recorded and folded, the run is finished: a second start-up marks nothing.
    for (const end of ends) fold.apply(event('training.runFinished', { run: end }))
    expect(interruptedRuns(fold.runs.values(), () => false, now).map((e) => e.runId)).toEqual(['live'])
  })
})
