// The loss curve stays bounded and spans the whole run; steps counted per epoch become one run-wide count.
import { describe, expect, it } from 'vitest'
import type { LossPoint } from '@shared/domain/training-run'
import { RunSteps, SparseLossSeries } from '@shared/training/loss-series'

const at = (step: number, phase: LossPoint['phase'] = 'train', loss: number | null = 1): LossPoint => ({
  step,
  total: null,
  loss,
  lr: null,
  phase,
  seconds: 0,
})

describe('SparseLossSeries', () => {
  it('keeps every point until full, then thins evenly: never more than capacity, first and late steps kept', () => {
    const series = new SparseLossSeries(64)
    let kept = 0
    for (let step = 1; step <= 100_000; step++) if (series.add(at(step))) kept++
    const steps = series.points.map((p) => p.step)
    expect(series.points.length).toBeLessThanOrEqual(64)
    expect(series.points.length).toBeGreaterThan(32)
    expect(steps[0]).toBe(1)
    expect(steps.at(-1)!).toBeGreaterThan(100_000 - 100_000 / 32)
    // What a writer would have persisted (each point once, when kept) grows with the log of the run length.
    expect(kept).toBeLessThan(64 * Math.log2(100_000 / 64))
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
  })

  it('skips points without a loss and always keeps validation points', () => {
    const series = new SparseLossSeries(4)
    expect(series.add(at(1, 'train', null))).toBe(false)
    expect(series.add(at(1))).toBe(true)
    expect(series.add(at(1, 'eval'))).toBe(true)
  })
})

describe('RunSteps', () => {
  it('turns llama-finetune per-epoch counts into one count over all epochs', () => {
    const steps = new RunSteps(3)
    expect(steps.place(64, 128, 'train')).toEqual({ step: 64, total: 384 })
    expect(steps.place(128, 128, 'train')).toEqual({ step: 128, total: 384 })
    expect(steps.place(8, 16, 'eval')).toEqual({ step: 128, total: 384 })
    expect(steps.place(64, 128, 'train')).toEqual({ step: 192, total: 384 })
    expect(steps.place(64, 128, 'train')).toEqual({ step: 192, total: 384 })
    expect(steps.place(32, 128, 'train')).toEqual({ step: 288, total: 384 })
  })

  it('passes global steps through unchanged', () => {
    const steps = new RunSteps(null)
    expect(steps.place(5, 100, 'train')).toEqual({ step: 5, total: 100 })
    expect(steps.place(6, 100, 'train')).toEqual({ step: 6, total: 100 })
  })
})
