// The collapse monitor behind the IPC contract: register model generations, freeze the probe and reference
// sets, start a probe job, build the report, and write it out as JSON and standalone HTML.
import { isAbsolute } from 'node:path'
import type { EmbeddingModel, FrozenSets, ModelGenerationRecord, ProbeSettings } from '@shared/domain/monitor'
import { AppFailure } from '@shared/ipc/result'
import { uuidv7 } from '@shared/ids/uuidv7'
import { protectedTextHash } from '@shared/export/selection/probe-guard'
import { chooseSets } from '@shared/monitor/choose-sets'
import { buildCollapseReport, withTextBands, type CollapseReport } from '@shared/monitor/collapse-report'
import type { Band } from '@shared/metrics/bootstrap/bands'
import { textBands } from '@shared/monitor/metric-bands'
import type { JobRunner } from '../jobs/job-runner'
import type { ProjectRegistry } from '../projects/project-registry'
import { isLoopbackHost } from '../generation/loopback-host'
import type { MonitorLog } from './monitor-log'
import type { MonitorFold } from '@shared/monitor/monitor-fold'
import { writeReportFiles, type WrittenReport } from './report-files'
import { SnapshotTrainings } from './snapshot-trainings'

export type GenerationInput = Pick<
  ModelGenerationRecord,
  'label' | 'parentId' | 'engine' | 'ggufPath' | 'ollama' | 'trainingSnapshotId'
>

export interface FreezeInput {
  probeSize: number
  referenceSize: number
  seed: number
  settings: ProbeSettings
}

export class MonitorService {
  readonly #registry: ProjectRegistry
  readonly #log: MonitorLog
  readonly #jobs: JobRunner
  readonly #reports = new Map<string, { version: number; report: Promise<CollapseReport> }>()
  readonly #trainings: SnapshotTrainings
  readonly #textBandCache = new Map<string, Promise<Record<string, Band>>>()

  constructor(registry: ProjectRegistry, log: MonitorLog, jobs: JobRunner) {
    this.#registry = registry
    this.#log = log
    this.#jobs = jobs
    this.#trainings = new SnapshotTrainings(registry)
  }

  async register(projectId: string, input: GenerationInput): Promise<ModelGenerationRecord> {
    if (input.engine === 'llamacpp' && input.ggufPath === null)
      throw new AppFailure(
        'invalid-payload',
        'An embedded (llama.cpp) generation needs the path of its GGUF file.',
      )
    if (input.engine === 'ollama' && input.ollama === null)
      throw new AppFailure('invalid-payload', 'An Ollama generation needs its host and model name.')
    if (input.ggufPath !== null && !isAbsolute(input.ggufPath))
      throw new AppFailure(
        'invalid-payload',
        `${input.ggufPath} is not an absolute path: give the full path.`,
      )
    const fold = await this.#log.fold(projectId)
    let generation = 0
    if (input.parentId === null) {
      const base = fold.ordered().find((g) => g.generation === 0)
      if (base !== undefined)
        throw new AppFailure(
          'conflict',
          `Generation 0 is already registered (${base.label}): name the generation this one was trained from.`,
        )
    } else {
      const parent = fold.generations.get(input.parentId)
      if (parent === undefined)
        throw new AppFailure('not-found', 'The parent generation is not registered here: register it first.')
      generation = parent.generation + 1
    }
    const record: ModelGenerationRecord = {
      ...input,
      id: uuidv7(),
      generation,
      createdAt: new Date().toISOString(),
    }
    await this.#log.record(projectId, [
      { kind: 'monitor.generationRegistered', data: { generation: record } },
    ])
    return record
  }

  /** Chooses the sets among the project's human samples and freezes them, once per project. */
  async freezeSets(projectId: string, input: FreezeInput): Promise<FrozenSets> {
    const fold = await this.#log.fold(projectId)
    if (fold.sets !== null)
      throw new AppFailure(
        'conflict',
        `The probe and reference sets were frozen on ${fold.sets.frozenAt}; they stay fixed so that every ` +
          'generation is measured on the same texts.',
      )
    const human = (await this.#registry.samples(projectId, null)).filter((s) => s.origin === 'human')
    let chosen
    try {
      chosen = chooseSets(human, input, input.seed)
    } catch (error) {
      throw new AppFailure('conflict', (error as Error).message)
    }
    const texts = new Map(human.map((s) => [s.id, s.text]))
    const ids = [...chosen.probeSampleIds, ...chosen.referenceSampleIds]
    const sets: FrozenSets = {
      setsId: uuidv7(),
      choiceSeed: input.seed,
      ...chosen,
      textHashes: ids.map((id) => protectedTextHash(texts.get(id) ?? '')),
      settings: input.settings,
      frozenAt: new Date().toISOString(),
    }
    await this.#log.record(projectId, [{ kind: 'monitor.setsFrozen', data: { sets } }])
    return sets
  }

  async startProbe(
    projectId: string,
    generationId: string,
    embedding: EmbeddingModel | null = null,
  ): Promise<{ jobId: string }> {
    const fold = await this.#log.fold(projectId)
    const generation = fold.generations.get(generationId)
    if (generation === undefined)
      throw new AppFailure('not-found', 'That model generation is not registered in this project.')
    if (fold.sets === null)
      throw new AppFailure('conflict', 'Freeze the probe and reference sets before probing a generation.')
    if (generation.ollama !== null && generation.ggufPath === null && !isLoopbackHost(generation.ollama.host))
      throw new AppFailure(
        'forbidden',
        `${generation.ollama.host} is not this machine: the probe prompts would leave it. Probe through a local host.`,
      )
    if (embedding?.engine === 'ollama' && (embedding.host === null || !isLoopbackHost(embedding.host)))
      throw new AppFailure(
        'forbidden',
        `${embedding.host ?? 'No host'} is not this machine: the texts would leave it. Embed through a local Ollama host.`,
      )
    if (embedding?.engine === 'llamacpp' && !isAbsolute(embedding.model))
      throw new AppFailure(
        'invalid-payload',
        `${embedding.model} is not an absolute path: give the full path of the GGUF embedding model.`,
      )
    const job = await this.#jobs.start(projectId, 'monitor-probe', `Probe ${generation.label}`, {
      projectId,
      generationId,
      embedding,
    })
    return { jobId: job.id }
  }

  async protectedSets(projectId: string): Promise<{ sampleIds: string[]; textHashes: string[] }> {
    return (await this.#log.fold(projectId)).protectedSets()
  }

  /**
   * The report changes only when a monitor event is appended (the sets are frozen, so are the reference
   * texts), so it is built once per fold version: the dashboard asks again on every log append, imports
   * included, and must not replay the whole log each time.
   */
  report(projectId: string): Promise<CollapseReport> {
    return this.#reportOf(projectId).catch((error: unknown) => {
      this.#reports.delete(projectId)
      throw error
    })
  }

  async #reportOf(projectId: string): Promise<CollapseReport> {
    const fold = await this.#log.fold(projectId)
    const cached = this.#reports.get(projectId)
    if (cached?.version === fold.version) return cached.report
    const report = this.#build(projectId, fold)
    this.#reports.set(projectId, { version: fold.version, report })
    return report
  }

  async #build(projectId: string, fold: MonitorFold): Promise<CollapseReport> {
    const probeIds = fold.sets?.probeSampleIds ?? []
    const referenceIds = fold.sets?.referenceSampleIds ?? []
    const ids = new Set([...probeIds, ...referenceIds])
    const referenceTexts: string[] = []
    const texts = new Map(
      ids.size === 0 ? [] : (await this.#registry.samples(projectId, ids)).map((s) => [s.id, s.text]),
    )
    referenceTexts.push(...referenceIds.flatMap((id) => texts.get(id) ?? []))
    const snapshotIds = new Set(fold.ordered().flatMap((g) => g.trainingSnapshotId ?? []))
    const trainings = await this.#trainings.of(projectId, snapshotIds, fold.protectedSets())
    const report = buildCollapseReport({
      trainings,
      generations: fold.ordered(),
      sets: fold.sets,
      probes: fold.probes,
      referenceTexts,
      probePrompts: probeIds.map((sampleId) => ({ sampleId, text: texts.get(sampleId) ?? '' })),
      builtAt: new Date().toISOString(),
    })
    return withTextBands(report, await this.#textBands(fold, report, referenceTexts))
  }

  /**
   * The text metrics' half-sample bands, one text report per round: computed once per probe, budget and
   * reference set (a new generation usually leaves the common budget as it was), yielding between rounds
   * so that main keeps answering while a report is built.
   */
  async #textBands(fold: MonitorFold, report: CollapseReport, referenceTexts: string[]) {
    const bands = new Map<string, Record<string, Band>>()
    const budget = report.tokenBudget
    if (budget === null || fold.sets === null) return bands
    for (const g of report.generations) {
      const probe = fold.probes.get(g.id)
      if (probe === undefined || g.metrics === null) continue
      const key = `${probe.jobId}|${budget}|${fold.sets.setsId}`
      let cached = this.#textBandCache.get(key)
      if (cached === undefined) {
        cached = textBands(
          probe.samples.map((s) => s.text),
          referenceTexts,
          g.metrics.text,
          { budget, seed: fold.sets.settings.seed, pause: () => new Promise((done) => setImmediate(done)) },
        )
        this.#textBandCache.set(key, cached)
        cached.catch(() => this.#textBandCache.delete(key))
      }
      bands.set(g.id, await cached)
    }
    return bands
  }

  async exportReport(projectId: string, folder: string): Promise<WrittenReport> {
    if (!isAbsolute(folder))
      throw new AppFailure('invalid-payload', `${folder} is not an absolute path: choose a folder.`)
    const [report, summary] = await Promise.all([this.report(projectId), this.#registry.summary(projectId)])
    return writeReportFiles(folder, summary.name, report)
  }
}
