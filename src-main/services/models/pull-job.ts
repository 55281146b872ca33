// The 'pull' job: downloads a model into an Ollama host, streaming /api/pull progress (bytes over all
// layers) into job progress. Resuming simply pulls again: Ollama keeps the layers it already has.
import type { JobWorker } from '../jobs/job-runner'
import type { OllamaEngine } from '../../engines/ollama/ollama-engine'

export interface PullParams {
  host: string
  name: string
}

export function createPullWorker(engineForHost: (host: string) => OllamaEngine): JobWorker<PullParams> {
  return {
    kind: 'pull',
    async run({ host, name }, context) {
      const layers = new Map<string, { completed: number; total: number }>()
      let status = 'starting'
      const send = (): void => {
        let done = 0
        let total = 0
        for (const layer of layers.values()) {
          done += layer.completed
          total += layer.total
        }
        context.report({
          unit: 'bytes',
          done,
          total: total > 0 ? total : null,
          counts: { layers: layers.size },
        })
      }
      send()
      await engineForHost(host).pull(name, context.signal, (progress) => {
        status = progress.status
        if (progress.digest !== null && progress.total !== null && progress.total > 0)
          layers.set(progress.digest, { completed: progress.completed ?? 0, total: progress.total })
        send()
      })
      return { host, name, status }
    },
  }
}
