// The controls a job shows follow its status: Cancel while it runs, Resume once stopped, never both.
import { describe, expect, it } from 'vitest'
import { jobStatuses, type JobSnapshot, type JobStatus } from '@shared/jobs/job'
import { canResumeJob, isJobActive, jobFraction } from '../../../src-renderer/features/jobs/job-state'

const job = (status: JobStatus, done = 3, total: number | null = 12): JobSnapshot => ({
  id: 'j',
  projectId: 'p',
  kind: 'generate',
  title: 't',
  status,
  params: null,
  progress: { unit: 'candidates', done, total, rate: 0, etaSeconds: null, counts: {} },
  error: null,
  createdAt: '',
  updatedAt: '',
  checkpoint: null,
  result: null,
})

describe('job state', () => {
  it('offers Cancel or Resume by status, never both', () => {
    const offers = Object.fromEntries(
      jobStatuses.map((status) => [status, [isJobActive(job(status)), canResumeJob(job(status))]]),
    )
    expect(offers).toEqual({
      queued: [true, false],
      running: [true, false],
      done: [false, false],
      failed: [false, true],
      cancelled: [false, true],
      interrupted: [false, true],
    })
  })

  it('measures progress, full when done, unknown without a total', () => {
    expect(jobFraction(job('running'))).toBe(0.25)
    expect(jobFraction(job('done'))).toBe(1)
    expect(jobFraction(job('running', 3, null))).toBeNull()
  })
})
