// What a running trainer's output becomes: the job's reports (steps over all epochs, loss, the trainer's ETA),
// a loss curve persisted in batches and capped, a bounded log tail, and one final live view on flush.
import { describe, expect, it } from 'vitest'
import type { LiveRun, LossPoint } from '@shared/domain/training-run'
import {
  maxPersistedPoints,
  tailLines,
  TrainerWatch,
} from '../../../../src-main/services/training/trainer-watch'
import type { TrainerProgress } from '../../../../src-main/services/training/progress-protocol'

function watch(epochs: number | null) {
  let now = 0
  const reports: { done: number; total: number | null; counts: Record<string, number> }[] = []
  const persisted: LossPoint[][] = []
  const published: LiveRun[] = []
  const w = new TrainerWatch({
    projectId: 'p',
    runId: 'r',
    jobId: 'j',
    epochs,
    report: (progress) => reports.push(progress),
    publish: (live) => published.push(live),
    persist: async (points) => void persisted.push(points),
    now: () => now,
  })
  return { w, reports, persisted, published, tick: (ms: number) => (now += ms) }
}

const progress = (step: number | null, extra: Partial<TrainerProgress> = {}): TrainerProgress => ({
  step,
  total: 100,
  loss: 2,
  lr: null,
  etaSeconds: 30,
  phase: 'train',
  source: 'llama-finetune',
  ...extra,
})

describe('TrainerWatch', () => {
  it('reports llama-finetune steps over all epochs, with the loss and the trainer ETA', async () => {
    const { w, reports, persisted } = watch(2)
    for (const step of [50, 100, 50, 100]) w.progress(progress(step))
    await w.flush()
    expect(reports.map((r) => [r.done, r.total])).toEqual([
      [50, 200],
      [100, 200],
      [150, 200],
      [200, 200],
    ])
    expect(reports[0]!.counts).toEqual({ loss: 2, trainerEtaSeconds: 30 })
    expect(persisted.flat().map((p) => p.step)).toEqual([50, 100, 150, 200])
  })

  it('puts a loss without a step at the step last seen', async () => {
    const { w, persisted } = watch(null)
    w.progress(progress(10, { source: 'transformers' }))
    w.progress(progress(null, { loss: 1.5, source: 'transformers' }))
    w.progress(progress(12, { loss: 1.2, source: 'transformers' }))
    await w.flush()
    expect(persisted.flat().map((p) => [p.step, p.loss])).toEqual([
      [10, 2],
      [12, 1.2],
    ])
  })

  it('writes the curve in batches (every 5 s or 64 points), sparse over a long run', async () => {
    const { w, persisted, tick } = watch(null)
    w.progress(progress(1))
    expect(persisted).toHaveLength(0)
    tick(5_000)
    w.progress(progress(2))
    await w.flush()
    expect(persisted.map((batch) => batch.map((p) => p.step))).toEqual([[1, 2]])
    // A long run: the curve in the log grows with the logarithm of its length, far below the hard cap.
    const long = watch(null)
    const steps = 300_000
    for (let step = 1; step <= steps; step++) long.w.progress(progress(step))
    await long.w.flush()
    const total = long.persisted.reduce((sum, batch) => sum + batch.length, 0)
    console.log(`persisted ${total} loss points for ${steps} steps`)
    expect(total).toBeLessThan(256 + 129 * Math.log2(steps / 256))
    expect(total).toBeLessThan(maxPersistedPoints)
    expect(long.persisted.every((batch) => batch.length <= 64)).toBe(true)
  })

  it('keeps the last lines of output, cut to a bounded length, and publishes them on flush', async () => {
    const { w, published } = watch(null)
    for (let i = 0; i < tailLines + 50; i++) w.line(i % 2 ? 'stdout' : 'stderr', `line ${i}`)
    w.line('stdout', 'x'.repeat(10_000))
    await w.flush()
    const last = published.at(-1)!
    expect(last.tail).toHaveLength(tailLines)
    expect(last.tail[0]).toBe('line 51')
    expect(last.tail.at(-1)!.length).toBeLessThan(2_100)
    expect(w.tail().split('\n')).toHaveLength(tailLines)
  })
})
