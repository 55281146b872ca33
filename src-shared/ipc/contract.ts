// The one IPC contract: every channel's request and reply schema, every event's payload schema.
// Main parses each request with it before any service runs; the renderer's typed api is derived from it.
import { z } from 'zod'
import type { ChannelName, EventName } from './channel-names'
import { deletionSummary, projectId, projectName, projectSummary } from '../domain/project'
import { importFormat, importSpec } from '../domain/import-spec'
import { logEvent, logHead } from '../domain/log-events'
import { generationStreaming } from '../domain/generation-streaming'
import { jobSnapshot } from '../jobs/job'
import { generationSpec } from '../domain/generation-spec'
import { promptTemplate } from '../domain/prompt-template'
import { decisionRecord, unsealedDecision } from '../domain/decision'
import { datasetSnapshot, snapshotDraft, writtenFile } from '../domain/dataset-snapshot'
import { formatIds } from '../export/formats'
import { embeddingModel, frozenSets, modelGenerationRecord, probeSettings } from '../domain/monitor'
import type { CollapseReport } from '../monitor/collapse-report'
import { liveRun, trainingRunSpec, trainingRunView } from '../domain/training-run'
import { baseModelKinds } from '../training/base-model'

const none = z.object({}).strict()
const forProject = z.object({ projectId }).strict()
const jobId = z.string().min(1).max(64)
const path = z.string().min(1).max(4096)
const host = z.string().url().max(2048)
const exportId = z.string().min(1).max(64)
/** A file inside an export's folder, `/`-separated; main sanitises every segment again. */
const exportFile = z.string().min(1).max(500)
/** Ollama model names: "llama3.2:1b", "hf.co/owner/repo:Q4_K_M". */
const count = z.number().int().nonnegative()
const figure = z.number().nullable()
const agreementFigures = z.object({
  annotators: z.array(z.string()),
  labelledSamples: count,
  overlappingSamples: count,
  agreeingSamples: count,
  percentAgreement: figure,
  cohensKappa: figure,
  krippendorffAlpha: figure,
  disagreements: z.array(z.string()),
})
const mergeCounts = z.object({
  appended: count,
  alreadyPresent: count,
  skippedUnknownSample: count,
  skippedUnverified: count,
})
const modelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/, 'expected an Ollama model name')
/** A host that is not this machine is only contacted when the person said yes (see generationSpec). */
const onHost = { host, allowRemoteHost: z.boolean().default(false) }
const modelInfo = z.object({
  name: z.string(),
  digest: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  family: z.string().nullable(),
  quantization: z.string().nullable(),
  parameterSize: z.string().nullable(),
  modifiedAt: z.string().nullable(),
})

export const contract = {
  'app.info': {
    request: none,
    reply: z.object({
      version: z.string(),
      schemaVersion: z.number(),
      dataDir: z.string(),
      transport: z.enum(['electron', 'loopback']),
      canPickFiles: z.boolean(),
    }),
  },
  'projects.list': { request: none, reply: z.array(projectSummary) },
  'projects.create': { request: z.object({ name: projectName }).strict(), reply: projectSummary },
  'projects.rename': { request: z.object({ projectId, name: projectName }).strict(), reply: projectSummary },
  'projects.open': { request: forProject, reply: projectSummary },
  'projects.deletionSummary': { request: forProject, reply: deletionSummary },
  'projects.delete': {
    // The name typed by the user, so a stale or mistaken click cannot delete another project.
    request: z.object({ projectId, confirmName: z.string() }).strict(),
    reply: z.object({ deleted: z.literal(true) }),
  },
  'log.head': { request: forProject, reply: logHead },
  'log.read': {
    request: z
      .object({
        projectId,
        afterSeq: z.number().int().nonnegative(),
        maxEvents: z.number().int().min(1).max(10_000).default(1000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(8 * 1024 * 1024),
      })
      .strict(),
    reply: z.object({ events: z.array(logEvent), head: logHead }),
  },
  'files.pickImport': { request: none, reply: z.object({ path: z.string().nullable() }) },
  'files.pickSave': {
    request: z.object({ suggestedName: z.string().max(255) }).strict(),
    reply: z.object({ path: z.string().nullable() }),
  },
  'import.preview': {
    request: z.object({ path, format: importFormat.nullable() }).strict(),
    reply: z.object({
      format: importFormat,
      fileName: z.string(),
      sizeBytes: z.number(),
      fields: z.array(z.string()),
      rows: z.array(z.record(z.string(), z.unknown())),
      errors: z.array(z.object({ line: z.number(), reason: z.string() })),
      suggestedTextField: z.string().nullable(),
      suggestedIdField: z.string().nullable(),
    }),
  },
  'import.start': {
    request: z.object({ projectId, spec: importSpec }).strict(),
    reply: z.object({ jobId: z.string(), batchId: z.string() }),
  },
  'import.saveErrors': {
    request: z.object({ projectId, batchId: z.string().min(1).max(64), path }).strict(),
    reply: z.object({ path: z.string(), errorCount: z.number() }),
  },
  'jobs.list': { request: forProject, reply: z.array(jobSnapshot) },
  'jobs.cancel': { request: z.object({ jobId }).strict(), reply: z.object({ cancelled: z.boolean() }) },
  'jobs.resume': { request: z.object({ jobId }).strict(), reply: jobSnapshot },
  'links.openExternal': {
    request: z.object({ url: z.string().url().max(2048) }).strict(),
    reply: z.object({ opened: z.boolean() }),
  },
  'store.moveAside': {
    // The renderer's database cannot be opened even after retries: move it aside and restart (Electron).
    request: z.object({ reason: z.string().max(2000) }).strict(),
    reply: z.object({ restarting: z.boolean() }),
  },
  'generation.start': {
    request: z.object({ projectId, spec: generationSpec }).strict(),
    reply: z.object({ jobId: z.string(), candidates: z.number().int().nonnegative() }),
  },
  'models.status': {
    request: z.object(onHost).strict(),
    reply: z.object({
      reachable: z.boolean(),
      version: z.string().nullable(),
      message: z.string().nullable(),
    }),
  },
  'models.list': { request: z.object(onHost).strict(), reply: z.array(modelInfo) },
  'models.pull': {
    // Pulling is app-wide, but jobs live in a project: the job is attached to the project open at the time.
    request: z.object({ projectId, name: modelName, ...onHost }).strict(),
    reply: z.object({ jobId: z.string() }),
  },
  'models.delete': {
    request: z.object({ name: modelName, ...onHost }).strict(),
    reply: z.object({ deleted: z.literal(true) }),
  },
  'models.inspectGguf': {
    // An embedded (llama.cpp) model file: its GGUF metadata, read by loading it.
    request: z.object({ path }).strict(),
    reply: z.object({
      name: z.string(),
      path: z.string(),
      architecture: z.string().nullable(),
      parameterCount: z.number().nullable(),
      contextLength: z.number(),
      vocabularySize: z.number(),
      fileSizeBytes: z.number(),
      digest: z.string(),
    }),
  },
  'templates.list': {
    request: none,
    reply: z.array(z.object({ template: promptTemplate, hash: z.string() })),
  },
  /** Records one review decision; answers once it is flushed to the project log. */
  'review.decide': {
    request: z.object({ projectId, decision: unsealedDecision }).strict(),
    reply: z.object({ decision: decisionRecord, seq: z.number().int().positive() }),
  },
  /** Walks every decision chain of the project and names the first broken link, if any. */
  'review.verify': {
    request: z.object({ projectId }).strict(),
    reply: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), decisions: z.number().int(), chains: z.number().int() }),
      z.object({
        ok: z.literal(false),
        decisions: z.number().int(),
        broken: z.object({
          decisionId: z.string(),
          index: z.number().int(),
          chain: z.object({ projectId: z.string(), annotator: z.string() }),
          reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'first-has-prev-hash']),
        }),
      }),
    ]),
  },
  /**
   * Merges another local copy of the project (another annotator's) into this one: its decisions not yet
   * here, verbatim (chains intact), refusing those about unknown samples or whose chain does not hold.
   */
  'merge.import': {
    request: z.object({ projectId, fromProjectId: projectId }).strict(),
    reply: mergeCounts.extend({ agreement: agreementFigures }),
  },
  /** Agreement between the project's annotators, and the samples they disagree on. */
  'merge.agreement': {
    request: z.object({ projectId }).strict(),
    reply: agreementFigures,
  },
  /** Creates a new folder for an export inside the chosen one (never reusing or overwriting anything). */
  'export.open': {
    request: z.object({ projectId, folder: path, name: z.string().min(1).max(200) }).strict(),
    reply: z.object({ exportId, folder: z.string(), name: z.string() }),
  },
  /** Appends lines to one of the export's files; await each call (it is the backpressure). */
  'export.write': {
    request: z.object({ exportId, file: exportFile, text: z.string().max(16 * 1024 * 1024) }).strict(),
    reply: z.object({ bytes: z.number().int().nonnegative() }),
  },
  /** Closes the files, writes the small ones and the manifest, records the frozen snapshot in the log. */
  'export.finish': {
    request: z
      .object({
        exportId,
        snapshot: snapshotDraft,
        /** Small files written whole: the dataset card, dataset_info.json. Path → content. */
        extraFiles: z
          .record(exportFile, z.string().max(4 * 1024 * 1024))
          .refine((files) => Object.keys(files).length <= 16, 'at most 16 extra files'),
        /**
         * Rows the selection dropped after they were streamed out, per written file: base64 of ascending
         * little-endian 32-bit line numbers (0-based). Those lines are left out when the file is closed.
         */
        dropLines: z
          .record(exportFile, z.string().max(64 * 1024 * 1024))
          .refine((files) => Object.keys(files).length <= 256, 'at most 256 files')
          .optional(),
        /** Also a Hugging Face dataset folder: this format's rows as Parquet under data/, and README.md. */
        huggingFace: z
          .object({
            formatId: z.enum(formatIds),
            license: z.string().regex(/^[a-z0-9][a-z0-9.+-]{0,63}$/, 'expected a Hub license id'),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    reply: z.object({ snapshot: datasetSnapshot, manifest: writtenFile }),
  },
  /** Abandons an export: its temporary files go, and its folder too if nothing else is in it. */
  'export.abort': {
    request: z.object({ exportId }).strict(),
    reply: z.object({}),
  },
  /** A full backup (canonical JSONL per table + manifest) into a new folder inside the chosen one. */
  'backup.create': {
    request: z.object({ projectId, folder: path }).strict(),
    reply: z.object({ folder: z.string(), files: z.array(writtenFile) }),
  },
  /** Checks a backup folder against its manifest and restores it into a new project with this name. */
  'backup.restore': {
    request: z.object({ folder: path, name: projectName }).strict(),
    reply: z.object({
      projectId,
      counts: z.object({
        imports: z.number().int(),
        samples: z.number().int(),
        candidates: z.number().int(),
        decisions: z.number().int(),
        datasets: z.number().int(),
        lineage: z.number().int(),
        unknownEvents: z.number().int(),
      }),
    }),
  },
  /** Registers a model generation for the collapse monitor: generation 0 has no parent. */
  'monitor.register': {
    request: z
      .object({
        projectId,
        generation: modelGenerationRecord.pick({
          label: true,
          parentId: true,
          engine: true,
          ggufPath: true,
          ollama: true,
          trainingSnapshotId: true,
        }),
      })
      .strict(),
    reply: modelGenerationRecord,
  },
  /** Chooses (seeded) and freezes the probe and reference sets among the human samples, once per project. */
  'monitor.freezeSets': {
    request: z
      .object({
        projectId,
        probeSize: z.number().int().min(1).max(1000),
        referenceSize: z.number().int().min(1).max(10_000),
        seed: z
          .number()
          .int()
          .nonnegative()
          .max(2 ** 31),
        settings: probeSettings,
      })
      .strict(),
    reply: frozenSets,
  },
  /** Starts the probe job of one generation on the frozen sets. */
  'monitor.probe': {
    request: z
      .object({
        projectId,
        generationId: z.string().min(1).max(64),
        /** Embeds the continuations and references for the embedding metrics; none: no embedding metrics. */
        embedding: embeddingModel.nullable().optional(),
      })
      .strict(),
    reply: z.object({ jobId: z.string() }),
  },
  /**
   * Every generation's metrics against generation 0 and the family states. The reply is built in main by
   * buildCollapseReport from parsed log events, so it is typed here rather than parsed a second time.
   */
  'monitor.report': {
    request: forProject,
    reply: z.custom<CollapseReport>((value) => typeof value === 'object' && value !== null),
  },
  /** The sample ids and text hashes no export may put in a training split. */
  'monitor.protectedSets': {
    request: forProject,
    reply: z.object({ sampleIds: z.array(z.string()), textHashes: z.array(z.string()) }),
  },
  /** Writes the report as JSON and standalone HTML into the chosen folder, never overwriting a file. */
  'monitor.exportReport': {
    request: z.object({ projectId, folder: path }).strict(),
    reply: z.object({ jsonPath: z.string(), htmlPath: z.string() }),
  },
  /** The trainer recipes, whether this machine meets each one's requirements, and their starting values. */
  'training.recipes': {
    request: none,
    reply: z.array(
      z.object({
        recipe: z.object({
          id: z.string(),
          label: z.string(),
          description: z.string(),
          reads: z.array(z.string()),
          produces: z.enum(['gguf', 'lora-adapter']),
          /** What base model it loads: `hf` asks the person for a Hugging Face id or model folder. */
          baseModel: z.enum(baseModelKinds),
          runtime: z.object({ kind: z.enum(['python', 'executable', 'custom']) }),
          install: z.object({ summary: z.string(), steps: z.array(z.string()) }),
        }),
        readiness: z.object({ isReady: z.boolean(), note: z.string() }),
        defaults: z.record(z.string(), z.number().nullable()),
      }),
    ),
  },
  /** Starts a `training.run` job: the spec is checked against the log and the recipes before it is queued. */
  'training.start': {
    request: z.object({ projectId, spec: trainingRunSpec }).strict(),
    reply: z.object({ jobId: z.string() }),
  },
  /** Runs (newest first) with their curves, live views of those running, generations and dataset snapshots. */
  'training.overview': {
    request: forProject,
    reply: z.object({
      runs: z.array(trainingRunView),
      live: z.array(liveRun),
      generations: z.array(modelGenerationRecord),
      snapshots: z.array(
        datasetSnapshot
          .omit({ splits: true, spec: true, formatOptions: true, warnings: true })
          .extend({ trainRows: count, testRows: count }),
      ),
      probes: z.array(
        z.object({ generationId: z.string(), perplexity: z.number().nullable(), probedAt: z.string() }),
      ),
    }),
  },
} satisfies Record<ChannelName, { request: z.ZodType; reply: z.ZodType }>

export const eventContract = {
  'log.appended': z.object({
    projectId: z.string(),
    head: logHead,
    /**
     * The appended events themselves, for urgent appends (a person waiting on a decision): the store
     * applies them without a log.read round trip. Absent for bulk appends, which are read in pages.
     */
    events: z.array(logEvent).max(64).optional(),
  }),
  'jobs.changed': jobSnapshot,
  'projects.changed': z.object({}),
  'generation.streaming': generationStreaming,
  /** A running fine-tune's curve and log tail, a few times a second; never stored. */
  'training.live': liveRun,
} satisfies Record<EventName, z.ZodType>

export type Contract = typeof contract
export type Request<C extends ChannelName> = z.input<Contract[C]['request']>
export type ParsedRequest<C extends ChannelName> = z.output<Contract[C]['request']>
export type Reply<C extends ChannelName> = z.output<Contract[C]['reply']>
export type EventPayload<E extends EventName> = z.output<(typeof eventContract)[E]>

/** What main implements: one async function per channel, given a parsed request. */
export type Handlers = { [C in ChannelName]: (request: ParsedRequest<C>) => Promise<Reply<C>> }

/** What the renderer calls: one function per channel, answering the result envelope's value or throwing. */
export type Api = { [C in ChannelName]: (request: Request<C>) => Promise<Reply<C>> }

export const schemaVersion = 1
