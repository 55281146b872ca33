// Composition of the main-side services behind the IPC contract. Plain Node: no electron import here, so
// the same services run in Electron, behind the loopback transport, and in tests.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Handlers } from '@shared/ipc/contract'
import { schemaVersion } from '@shared/ipc/contract'
import { AppFailure } from '@shared/ipc/result'
import { isAllowedExternalUrl } from '@shared/domain/external-links'
import { EventHub } from '../ipc/event-hub'
import { ProjectRegistry } from './projects/project-registry'
import { JobRunner } from './jobs/job-runner'
import { createImportWorker } from './import/import-job'
import { ImportService } from './import/import-service'
import { createGenerationWorker } from './generation/generation-job'
import { isLoopbackHost } from './generation/loopback-host'
import { localOllamaGguf } from './monitor/ollama-model-file'
import { OllamaEngine, type OllamaEngineOptions } from '../engines/ollama/ollama-engine'
import { GenerateThread } from '../engines/ollama/generate-thread'
import { ReviewService } from './review/review-service'
import { MergeService } from './merge/merge-service'
import { ExportService } from './export/export-service'
import { BackupService } from './backup/backup-service'
import type { ModelTarget } from '@shared/domain/generation-spec'
import type { Engine } from '../engines/engine'
import { ModelsService } from './models/models-service'
import { EmbeddedModels } from './models/embedded-models'
import { createPullWorker } from './models/pull-job'
import { TemplatesService } from './templates/templates-service'
import { findResourcesDir } from './resources-dir'
import { MonitorLog } from './monitor/monitor-log'
import { MonitorService } from './monitor/monitor-service'
import { createProbeWorker } from './monitor/probe-job'
import { TrainingLog } from './training/training-log'
import { TrainingService } from './training/training-service'
import { createTrainingWorker } from './training/training-job'
import { ensureLlamaFinetune } from './training/llama-finetune-build'

export interface FilePickers {
  pickImport(): Promise<string | null>
  pickSave(suggestedName: string): Promise<string | null>
}

export interface AppServicesOptions {
  dataDir: string
  appVersion: string
  transport: 'electron' | 'loopback'
  pickers: FilePickers | null
  openExternal: (url: string) => Promise<boolean>
  /** Electron only: schedule the unopenable store to be moved aside and restart; null where not possible. */
  moveStoreAside?: ((reason: string) => Promise<void>) | null
  /** Shipped templates and recipes; found from where the code runs when absent (resources-dir.ts). */
  resourcesDir?: string
  /** Deadlines, retries and size caps for every Ollama engine; the engine's defaults when absent. */
  ollama?: Omit<OllamaEngineOptions, 'host' | 'fetchImpl' | 'generateThread'>
  /**
   * Ollama generate calls stream on a worker thread (generate-thread.ts), so per-token work never competes
   * with the IPC, the log and the review on this one; false keeps them here. Default true.
   */
  generateOffThread?: boolean
}

export interface AppServices {
  handlers: Handlers
  events: EventHub
  registry: ProjectRegistry
  jobs: JobRunner
  close(): Promise<void>
}

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  await mkdir(options.dataDir, { recursive: true })
  const events = new EventHub()
  const registry = new ProjectRegistry(options.dataDir, events)
  const jobs = new JobRunner(registry, events)
  jobs.register(createImportWorker(registry))
  const ollamaEngines = new Map<string, OllamaEngine>()
  const generateThread = options.generateOffThread === false ? null : new GenerateThread()
  const engineForHost = (host: string): OllamaEngine => {
    let engine = ollamaEngines.get(host)
    if (!engine)
      ollamaEngines.set(host, (engine = new OllamaEngine({ ...options.ollama, host, generateThread })))
    return engine
  }
  const embedded = new EmbeddedModels()
  const engineFor = (target: ModelTarget): Engine =>
    target.engine === 'ollama' ? engineForHost(target.host) : embedded.engineFor(target.modelPath)
  const monitorLog = new MonitorLog(registry)
  jobs.register(
    createGenerationWorker(
      registry,
      engineFor,
      (snapshot) => events.emit('generation.streaming', snapshot),
      async (projectId) => (await monitorLog.fold(projectId)).generations.values(),
    ),
  )
  jobs.register(createPullWorker(engineForHost))
  jobs.register(
    createProbeWorker(registry, monitorLog, {
      generatorFor: (g) =>
        g.engine === 'ollama' && g.ollama !== null
          ? engineForHost(g.ollama.host)
          : embedded.engineFor(g.ggufPath ?? ''),
      scorerFor: async (g, signal) => {
        if (g.ggufPath !== null) return embedded.engineFor(g.ggufPath)
        if (g.ollama === null) return null
        const blob = await localOllamaGguf(engineForHost(g.ollama.host), g.ollama.host, g.ollama.name, signal)
        return blob === null ? null : embedded.engineFor(blob)
      },
      embedderFor: (m) =>
        m.engine === 'ollama' && m.host !== null ? engineForHost(m.host) : embedded.engineFor(m.model),
    }),
  )
  const monitor = new MonitorService(registry, monitorLog, jobs)
  const trainersDir = () => join(options.resourcesDir ?? findResourcesDir(), 'trainers')
  const trainingLog = new TrainingLog(registry)
  const training = new TrainingService(jobs, trainingLog, monitorLog, trainersDir)
  jobs.register(
    createTrainingWorker({
      registry,
      log: trainingLog,
      monitorLog,
      monitor,
      trainersDir,
      llamaFinetune: async (signal, onProgress) => (await ensureLlamaFinetune({ signal, onProgress })).binary,
      publish: (live) => {
        training.noteLive(live)
        events.emit('training.live', live)
      },
    }),
  )
  const models = new ModelsService(engineForHost, jobs)
  const templates = new TemplatesService(() => options.resourcesDir ?? findResourcesDir())
  const imports = new ImportService(registry, jobs)
  const review = new ReviewService(registry)
  const merges = new MergeService(registry)
  const exports = new ExportService(registry, { appVersion: options.appVersion, schemaVersion })
  const backups = new BackupService(registry, events, { appVersion: options.appVersion, schemaVersion })
  const pickers = (): FilePickers => {
    if (options.pickers) return options.pickers
    throw new AppFailure(
      'unavailable',
      "File dialogs aren't available in the browser preview: type the file's path.",
    )
  }

  const handlers: Handlers = {
    'app.info': async () => ({
      version: options.appVersion,
      schemaVersion,
      dataDir: options.dataDir,
      transport: options.transport,
      canPickFiles: options.pickers !== null,
    }),
    'projects.list': () => registry.list(),
    'projects.create': ({ name }) => registry.create(name),
    'projects.rename': ({ projectId, name }) => registry.rename(projectId, name),
    'projects.open': ({ projectId }) => registry.markOpened(projectId),
    'projects.deletionSummary': async ({ projectId }) => {
      const state = await registry.state(projectId)
      return {
        name: state.name,
        sampleCount: state.sampleCount,
        importBatchCount: state.batches.size,
        eventCount: state.eventCount,
        bytesOnDisk: await registry.sizeOnDisk(projectId),
        folder: registry.folder(projectId),
      }
    },
    'projects.delete': async ({ projectId, confirmName }) => {
      const state = await registry.state(projectId)
      if (confirmName !== state.name) {
        throw new AppFailure(
          'conflict',
          'The name typed does not match the project name; nothing was deleted.',
        )
      }
      for (const job of state.jobs.values()) jobs.cancel(job.id)
      await jobs.waitForProject(projectId)
      await registry.delete(projectId)
      return { deleted: true as const }
    },
    'log.head': ({ projectId }) => registry.head(projectId),
    'log.read': async ({ projectId, afterSeq, maxEvents, maxBytes }) => ({
      events: await registry.read(projectId, afterSeq, maxEvents, maxBytes),
      head: await registry.head(projectId),
    }),
    'files.pickImport': async () => ({ path: await pickers().pickImport() }),
    'files.pickSave': async ({ suggestedName }) => ({ path: await pickers().pickSave(suggestedName) }),
    'import.preview': ({ path, format }) => imports.preview(path, format),
    'import.start': ({ projectId, spec }) => imports.start(projectId, spec),
    'import.saveErrors': ({ projectId, batchId, path }) => imports.saveErrors(projectId, batchId, path),
    'jobs.list': ({ projectId }) => jobs.list(projectId),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'jobs.resume': ({ jobId }) => jobs.resume(jobId),
    'links.openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url))
        throw new AppFailure('forbidden', 'Winnow only opens links to known sites.')
      return { opened: await options.openExternal(url) }
    },
    'generation.start': async ({ projectId, spec }) => {
      // Only Ollama targets send text anywhere: an embedded model runs in this process.
      const hosts = spec.models.flatMap((target) => (target.engine === 'ollama' ? [target.host] : []))
      const remote = hosts.find((host) => !isLoopbackHost(host))
      if (remote !== undefined && !spec.allowRemoteHost) {
        throw new AppFailure(
          'forbidden',
          `${remote} is not this machine: corpus text would leave it. Confirm sending it there first.`,
        )
      }
      const state = await registry.state(projectId)
      const sampleCount = spec.sampleIds?.length ?? state.sampleCount
      if (sampleCount === 0)
        throw new AppFailure('conflict', 'There are no samples to generate for: import a corpus first.')
      const candidates = sampleCount * spec.models.length * spec.temperatures.length * spec.candidatesPerCell
      const title = `Generate ${candidates} candidates (${spec.template.name})`
      const job = await jobs.start(projectId, 'generate', title, { projectId, spec })
      return { jobId: job.id, candidates }
    },
    'models.status': ({ host, allowRemoteHost }) => models.status(host, allowRemoteHost),
    'models.list': ({ host, allowRemoteHost }) => models.list(host, allowRemoteHost),
    'models.pull': async ({ projectId, host, name, allowRemoteHost }) => ({
      jobId: await models.pull(projectId, host, name, allowRemoteHost),
    }),
    'models.delete': async ({ host, name, allowRemoteHost }) => {
      await models.remove(host, name, allowRemoteHost)
      return { deleted: true as const }
    },
    'models.inspectGguf': ({ path }) => embedded.inspect(path),
    'templates.list': () => templates.list(),
    'review.decide': ({ projectId, decision }) => review.decide(projectId, decision),
    'review.verify': ({ projectId }) => review.verify(projectId),
    'merge.import': ({ projectId, fromProjectId }) => merges.importFrom(projectId, fromProjectId),
    'merge.agreement': ({ projectId }) => merges.agreement(projectId),
    'export.open': ({ projectId, folder, name }) => exports.open(projectId, folder, name),
    'export.write': ({ exportId, file, text }) => exports.write(exportId, file, text),
    'export.finish': ({ exportId, snapshot, extraFiles, dropLines, huggingFace }) =>
      exports.finish(exportId, snapshot, extraFiles, dropLines, huggingFace ?? null),
    'export.abort': ({ exportId }) => exports.abort(exportId),
    'backup.create': ({ projectId, folder }) => backups.create(projectId, folder),
    'backup.restore': ({ folder, name }) => backups.restore(folder, name),
    'monitor.register': ({ projectId, generation }) => monitor.register(projectId, generation),
    'monitor.freezeSets': ({ projectId, ...input }) => monitor.freezeSets(projectId, input),
    'monitor.probe': ({ projectId, generationId, embedding }) =>
      monitor.startProbe(projectId, generationId, embedding ?? null),
    'monitor.report': ({ projectId }) => monitor.report(projectId),
    'monitor.protectedSets': ({ projectId }) => monitor.protectedSets(projectId),
    'monitor.exportReport': ({ projectId, folder }) => monitor.exportReport(projectId, folder),
    'training.recipes': () => training.recipes(),
    'training.start': ({ projectId, spec }) => training.start(projectId, spec),
    'training.overview': ({ projectId }) => training.overview(projectId),
    'store.moveAside': async ({ reason }) => {
      if (!options.moveStoreAside) {
        throw new AppFailure(
          'unavailable',
          "The browser preview can't move the browser's database aside: clear this site's data in the browser " +
            'settings, then reload; Winnow rebuilds it from the project logs.',
        )
      }
      await options.moveStoreAside(reason)
      return { restarting: true }
    },
  }

  return {
    handlers,
    events,
    registry,
    jobs,
    async close() {
      await jobs.shutdown()
      await generateThread?.close()
      await exports.close()
      await embedded.close()
      await registry.close()
    },
  }
}
