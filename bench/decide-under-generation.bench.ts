// Review decisions while candidates stream: how long main takes to record a decision (`review.decide`:
// check, seal, urgent append with fsync, fold) while a generation job streams candidates from the fake
// Ollama at zero model latency — with the generate calls on the generation thread, as the app runs them,
// and on main (`generateOffThread: false`), in the same run — and with nothing else running, as the floor.
// What the generation thread is for: per-token streaming work no longer queues in front of a person's
// decision on main. Prints one JSON line last.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { jobSettled, openTestServices } from '../test/fakes/test-services'
import { FakeOllamaServer } from '../test/fakes/fake-ollama-server'
import { cleanup, tempDir } from '../test/e2e/harness'
import { generationSpecFor } from '../test/factories/generation-spec'
import { jsonlImportSpec } from '../test/factories/import-spec'
import { makeDecision } from '../test/factories/decisions'
import { uuidv7 } from '@shared/ids/uuidv7'

const decisionsPerPhase = Number(process.env.BENCH_DECISIONS ?? 300)
const everyMs = 5
const samples = 50

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

type Phase = 'idle' | 'thread' | 'main'

async function measure(phase: Phase, ollama: FakeOllamaServer, work: string): Promise<number[]> {
  const services = await openTestServices(join(work, phase), 'bench', { generateOffThread: phase !== 'main' })
  try {
    const projectId = (await services.handlers['projects.create']({ name: phase })).id
    const corpus = join(work, `${phase}.jsonl`)
    await writeFile(
      corpus,
      Array.from({ length: samples }, (_, i) =>
        JSON.stringify({ id: `s${i}`, text: `Story ${i}: a fox.` }),
      ).join('\n'),
    )
    const imported = await services.handlers['import.start']({ projectId, spec: jsonlImportSpec(corpus) })
    await jobSettled(services, imported.jobId)
    const sampleIds = (await services.registry.samples(projectId, null)).map((s) => s.id)
    let isStreaming = (): boolean => true
    if (phase !== 'idle') {
      const started = await services.handlers['generation.start']({
        projectId,
        spec: generationSpecFor(ollama.url, {
          models: ['tiny:latest', 'thinker:latest'].map((model) => ({
            engine: 'ollama' as const,
            host: ollama.url,
            model,
          })),
          temperatures: [1],
          candidatesPerCell: 200, // far more than the decisions take: it is still streaming at the end
          concurrency: 4,
        }),
      })
      let isDone = false
      void jobSettled(services, started.jobId).then(() => (isDone = true))
      isStreaming = () => !isDone
      await new Promise((done) => setTimeout(done, 500)) // well under way
    }
    const times: number[] = []
    for (let i = 0; i < decisionsPerPhase && isStreaming(); i++) {
      const decision = makeDecision('select', {
        id: uuidv7(),
        projectId,
        sampleId: sampleIds[i % sampleIds.length]!,
        at: new Date().toISOString(),
      })
      const t0 = performance.now()
      await services.handlers['review.decide']({ projectId, decision })
      times.push(performance.now() - t0)
      await new Promise((done) => setTimeout(done, everyMs))
    }
    if (times.length < decisionsPerPhase)
      throw new Error(`${phase}: the job ended after ${times.length} decisions`)
    return times
  } finally {
    await services.close() // cancels the job still streaming
  }
}

async function main(): Promise<void> {
  const work = await tempDir('bench-decide')
  const ollama = await new FakeOllamaServer().start()
  try {
    const result: Record<string, number> = {}
    for (const phase of ['idle', 'thread', 'main', 'thread', 'main'] as Phase[]) {
      const times = await measure(phase, ollama, join(work, `${phase}-${Object.keys(result).length}`))
      const p50 = percentile(times, 50)
      const p95 = percentile(times, 95)
      const p99 = percentile(times, 99)
      console.log(
        `${phase}: review.decide p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
      )
      // The later of each pair counts (the first warms the JIT and the disk).
      result[`${phase}P50Ms`] = Number(p50.toFixed(2))
      result[`${phase}P95Ms`] = Number(p95.toFixed(2))
      result[`${phase}P99Ms`] = Number(p99.toFixed(2))
    }
    console.log(
      JSON.stringify({
        bench: 'decide-under-generation',
        decisions: decisionsPerPhase,
        ...result,
        mainOverThreadP95: Number((result.mainP95Ms! / result.threadP95Ms!).toFixed(2)),
      }),
    )
  } finally {
    await ollama.stop()
    await cleanup(work)
  }
}

await main()
