// The main-side services as the Node tests and benchmarks use them: plain Node, no transport, no file
// dialogs, and a way to wait for a job to settle through the same events the UI observes.
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
} from '../../src-main/services/app-services'
import type { JobSnapshot } from '@shared/jobs/job'

export const openTestServices = (
  dataDir: string,
  appVersion = 'test',
  extra: Pick<AppServicesOptions, 'ollama' | 'generateOffThread'> = {},
): Promise<AppServices> =>
  createAppServices({
    dataDir,
    appVersion,
    transport: 'loopback',
    pickers: null,
    openExternal: async () => false,
    ...extra,
  })

/** Resolves with the job's snapshot once it is done, failed or cancelled. */
export function jobSettled(services: AppServices, jobId: string): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const stop = services.events.subscribe((name, payload) => {
      const job = payload as JobSnapshot
      if (
        name === 'jobs.changed' &&
        job.id === jobId &&
        ['done', 'failed', 'cancelled'].includes(job.status)
      ) {
        stop()
        resolve(job)
      }
    })
  })
}
