// Generation benchmark: 1,000 candidates against the fake Ollama server at zero latency, through the app's
// generation job (render, guarded fetch, strict NDJSON, provenance, flushed log batches) versus a bare
// ollama-js loop sending the same prompts with the same concurrency, in the same run. The ratio is the
// app's candidates per second over the bare loop's, the median of interleaved rounds. Prints one JSON line last.
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector'
import { join } from 'node:path'
import { Ollama } from 'ollama'
import { jobSettled, openTestServices } from '../test/fakes/test-services'
import { FakeOllamaServer } from '../test/fakes/fake-ollama-server'
import { cleanup, tempDir } from '../test/e2e/harness'
import { generationSpecFor } from '../test/factories/generation-spec'
import { renderTemplate } from '@shared/domain/prompt-template'
import type { JobSnapshot } from '@shared/jobs/job'
import { jsonlImportSpec } from '../test/factories/import-spec'

const samples = Number(process.env.BENCH_SAMPLES ?? 100)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4)
const perCell = 5
const roundCount = Number(process.env.BENCH_ROUNDS ?? 7)
const models = ['tiny:latest', 'thinker:latest']

async function main(): Promise<void> {
  const work = await tempDir('bench-generate')
  const ollama = await new FakeOllamaServer().start()
  // BENCH_THREAD=0 streams the app's generate calls on the main thread, as before the generation thread.
  const services = await openTestServices(join(work, 'data'), 'bench', {
    generateOffThread: process.env.BENCH_THREAD !== '0',
  })
  try {
    const finished = (jobId: string): Promise<JobSnapshot> => jobSettled(services, jobId)
    const corpus = join(work, 'corpus.jsonl')
    const texts = Array.from(
      { length: samples },
      (_, i) => `Story ${i}: the fox found a lantern by the river.`,
    )
    await writeFile(corpus, texts.map((text, i) => JSON.stringify({ id: `s${i}`, text })).join('\n'))
    const project = await services.handlers['projects.create']({ name: 'bench' })
    const imported = await services.handlers['import.start']({
      projectId: project.id,
      spec: jsonlImportSpec(corpus),
    })
    await finished(imported.jobId)

    const spec = generationSpecFor(ollama.url, {
      models: models.map((model) => ({ engine: 'ollama' as const, host: ollama.url, model })),
      temperatures: [1],
      candidatesPerCell: perCell,
      concurrency,
    })
    // Warm both paths up first (JIT, connection pools), so neither is measured cold.
    const warmIds = (await services.registry.samples(project.id, null))
      .slice(0, 10)
      .map((sample) => sample.id)
    const warm = await services.handlers['generation.start']({
      projectId: project.id,
      spec: { ...spec, sampleIds: warmIds, baseSeed: 1_000 },
    })
    await finished(warm.jobId)
    // The bare loop: the same prompts and options through ollama-js directly, streamed and consumed.
    const client = new Ollama({ host: ollama.url })
    const requests = texts.flatMap((text) =>
      models.flatMap((model) =>
        Array.from({ length: perCell }, (_, index) => {
          const { prompt } = renderTemplate(spec.template, {
            text,
            externalId: null,
            origin: 'human',
            meta: {},
          })
          const messages =
            prompt.mode === 'chat' ? prompt.messages : [{ role: 'user' as const, content: prompt.text }]
          return { model, messages, seed: spec.baseSeed + index }
        }),
      ),
    )
    const runBare = async (batch: typeof requests): Promise<void> => {
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < batch.length) {
            const request = batch[next++]!
            const stream = await client.chat({
              model: request.model,
              messages: request.messages,
              stream: true,
              options: { temperature: 1, seed: request.seed, num_predict: spec.maxTokens ?? undefined },
              logprobs: true,
              top_logprobs: spec.logprobsTopK ?? 0,
            })
            let text = ''
            for await (const chunk of stream) text += chunk.message.content
            if (text.length === 0) throw new Error('the bare loop got an empty answer')
          }
        }),
      )
    }
    await runBare(requests.slice(0, 100))

    // Interleaved rounds, the median ratio reported: on a shared machine one pair of runs can land in a
    // quiet and a busy moment; alternating evens that out without hiding a real difference.
    const runApp = async (): Promise<{ seconds: number; candidates: number; cpuMs: number }> => {
      const cpu = process.cpuUsage()
      const started = performance.now()
      const { jobId, candidates } = await services.handlers['generation.start']({
        projectId: project.id,
        spec,
      })
      const job = await finished(jobId)
      if (job.status !== 'done' || (job.result as { complete: number }).complete !== candidates) {
        throw new Error(`the app's job ended ${job.status}: ${JSON.stringify(job.result)}`)
      }
      return { seconds: (performance.now() - started) / 1000, candidates, cpuMs: cpuMsSince(cpu) }
    }
    const rounds: {
      appPerSec: number
      barePerSec: number
      ratio: number
      overheadMs: number
      appCpuMs: number
      bareCpuMs: number
    }[] = []
    let candidates = 0
    // BENCH_ONLY=app|bare runs one side alone, for profiling it; no ratio is printed then. With
    // BENCH_PROFILE=<file.cpuprofile>, the rounds alone (not start-up or warm-up) are profiled in process.
    const only = process.env.BENCH_ONLY
    if (only === 'app' || only === 'bare') {
      const profile = process.env.BENCH_PROFILE ? await startProfile() : null
      for (let round = 0; round < roundCount; round++) {
        const cpu = process.cpuUsage()
        if (only === 'app') await runApp()
        else await runBare(requests)
        console.log(
          `${only} round ${round + 1}: ${(cpuMsSince(cpu) / requests.length).toFixed(3)} CPU ms per candidate`,
        )
      }
      if (profile) await writeFile(process.env.BENCH_PROFILE!, JSON.stringify(await profile()))
      return
    }
    for (let round = 0; round < roundCount; round++) {
      const app = await runApp()
      candidates = app.candidates
      const bareCpu = process.cpuUsage()
      const bareStarted = performance.now()
      await runBare(requests)
      const bareSeconds = (performance.now() - bareStarted) / 1000
      const bareCpuMs = cpuMsSince(bareCpu)
      const appPerSec = app.candidates / app.seconds
      const barePerSec = requests.length / bareSeconds
      rounds.push({
        appPerSec,
        barePerSec,
        ratio: appPerSec / barePerSec,
        overheadMs: ((app.seconds - bareSeconds) * 1000) / app.candidates,
        appCpuMs: app.cpuMs / app.candidates,
        bareCpuMs: bareCpuMs / requests.length,
      })
      console.log(
        `round ${round + 1}: app ${app.candidates} candidates in ${app.seconds.toFixed(2)} s; ` +
          `bare ollama-js ${bareSeconds.toFixed(2)} s; ratio ${(appPerSec / barePerSec).toFixed(3)}`,
      )
    }
    const median = rounds.sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!
    if (process.env.BENCH_DEBUG) console.log(JSON.stringify([...ollama.counts]))
    console.log(
      JSON.stringify({
        bench: 'generate',
        candidates,
        concurrency,
        rounds: rounds.length,
        appPerSec: Math.round(median.appPerSec),
        barePerSec: Math.round(median.barePerSec),
        ratio: Number(median.ratio.toFixed(3)),
        ratioTarget: 0.9,
        overheadMsPerCandidate: Number(median.overheadMs.toFixed(2)),
        // CPU time of the whole process (fake server included) per candidate: steadier than wall time
        // on a shared machine, and what the overhead costs where the model, not the app, is the bottleneck.
        appCpuMsPerCandidate: Number(median.appCpuMs.toFixed(3)),
        bareCpuMsPerCandidate: Number(median.bareCpuMs.toFixed(3)),
      }),
    )
  } finally {
    await services.close()
    await ollama.stop()
    await cleanup(work)
  }
}

/** Starts the V8 profiler on this thread (100 µs sampling); the returned function stops it and gives the profile. */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    )
  await post('Profiler.enable')
  await post('Profiler.setSamplingInterval', { interval: 100 })
  await post('Profiler.start')
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object }
    session.disconnect()
    return profile
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

await main()
