// The Datasets screen's state: the choices a person makes for an export (name, folder, formats, split, mix
// policy, dedup, format options), a preview of the selection they give, the export itself with its
// progress and result, and the history of past exports (the datasets table, newest first).
import type { DatasetSnapshot, WrittenFile } from '@shared/domain/dataset-snapshot'
import { defaultFormatOptions, type FormatOptions, type PairPolicy } from '@shared/export/format-options'
import { formatIds, type FormatId } from '@shared/export/formats'
import { columnsFor } from '@shared/export/parquet-columns'
import { datasetSpec, defaultDatasetSpec, type DatasetSpec } from '@shared/export/selection/dataset-spec'
import type { ProbeOffender } from '@shared/export/selection/probe-guard'
import type { Api } from '@shared/ipc/contract'
import type { SelectionPreview } from '@shared/export/selection/preview'
import type { WinnowDb } from '../db/database'
import { listDatasets } from '../db/repos/datasets.repo'
import { readReviewCountRows } from '../db/repos/review.repo'
import { api as defaultApi } from '../lib/api'
import type { ExportApi, WriteProgress } from './datasets/export-writer'
import { exportDataset, previewDataset } from './datasets/run-export'
import { coalesced } from './review-progress'

/** The form, as the fields hold it: numbers left empty are null ("no limit"). */
export interface DatasetChoices {
  name: string
  folder: string
  formats: Record<FormatId, boolean>
  testFraction: number | null
  seed: number | null
  accumulate: boolean
  /** Reject-all and flags as negatives for the formats that take them. */
  negatives: boolean
  minHumanShare: number | null
  maxSyntheticDepth: number | null
  maxSharePerGeneration: number | null
  exactDedup: boolean
  nearDedup: boolean
  systemPrompt: string
  promptTemplate: string
  includeReasoning: boolean
  shape: FormatOptions['shape']
  pairPolicy: PairPolicy
  /** Also a Hugging Face dataset folder (Parquet + README.md card) of one format's rows. */
  huggingFace: boolean
  huggingFaceFormat: FormatId
  /** A Hub license id. */
  license: string
}

export interface PreviewView {
  preview: SelectionPreview
  /** Drop reason → items dropped, in the selection's order. */
  drops: { reason: string; count: number }[]
  warnings: string[]
  inputCount: number
}

export type DatasetsPhase = 'idle' | 'reading' | 'exporting'
/** Writing files, and asking main for the probe and reference sets every export must keep out of training. */
export type DatasetsApi = ExportApi & Pick<Api, 'monitor.protectedSets'>

export interface ExportResult {
  name: string
  folder: string
  contentHash: string
  files: WrittenFile[]
}

const defaultFormats: readonly FormatId[] = ['sft-messages', 'dpo']

function initialChoices(projectName: string): DatasetChoices {
  const spec = defaultDatasetSpec
  return {
    name: `${projectName} dataset`,
    folder: '',
    formats: Object.fromEntries(formatIds.map((id) => [id, defaultFormats.includes(id)])) as Record<
      FormatId,
      boolean
    >,
    testFraction: spec.split.testFraction,
    seed: spec.split.seed,
    accumulate: spec.mix.accumulate,
    negatives: spec.filter.negatives,
    minHumanShare: spec.mix.minHumanShare,
    maxSyntheticDepth: spec.mix.maxSyntheticDepth,
    maxSharePerGeneration: spec.mix.maxSharePerGeneration,
    exactDedup: spec.dedup.exact,
    nearDedup: spec.dedup.nearDuplicate !== null,
    systemPrompt: defaultFormatOptions.systemPrompt ?? '',
    promptTemplate: defaultFormatOptions.promptTemplate,
    includeReasoning: defaultFormatOptions.includeReasoning,
    shape: defaultFormatOptions.shape,
    pairPolicy: defaultFormatOptions.pairPolicy,
    huggingFace: false,
    huggingFaceFormat: defaultFormats[0] ?? 'sft-messages',
    license: 'other',
  }
}

/** The spec and options the choices describe, or a sentence saying which field to fix. */
export function specOf(
  choices: DatasetChoices,
): { ok: true; spec: DatasetSpec; formatOptions: FormatOptions } | { ok: false; error: string } {
  const spec: DatasetSpec = {
    ...defaultDatasetSpec,
    filter: { ...defaultDatasetSpec.filter, negatives: choices.negatives },
    split: { testFraction: choices.testFraction ?? 0, seed: choices.seed ?? 0 },
    mix: {
      accumulate: choices.accumulate,
      minHumanShare: choices.minHumanShare,
      maxSyntheticDepth: choices.maxSyntheticDepth,
      maxSharePerGeneration: choices.maxSharePerGeneration,
    },
    dedup: {
      exact: choices.exactDedup,
      nearDuplicate: choices.nearDedup ? defaultDatasetSpec.dedup.nearDuplicate : null,
    },
  }
  const parsed = datasetSpec.safeParse(spec)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = fieldNames[issue?.path.join('.') ?? ''] ?? issue?.path.join('.') ?? 'a field'
    return { ok: false, error: `Check ${field}: ${issue?.message ?? 'the value is not valid'}.` }
  }
  if (choices.promptTemplate.trim() === '')
    return {
      ok: false,
      error: 'Check the prompt template: it must not be empty (use {{text}} for the source).',
    }
  const formatOptions: FormatOptions = {
    systemPrompt: choices.systemPrompt.trim() === '' ? null : choices.systemPrompt,
    promptTemplate: choices.promptTemplate,
    includeReasoning: choices.includeReasoning,
    shape: choices.shape,
    pairPolicy: choices.pairPolicy,
  }
  return { ok: true, spec: parsed.data, formatOptions }
}

const fieldNames: Record<string, string> = {
  'split.testFraction': 'the test fraction (0 up to, not including, 1)',
  'split.seed': 'the seed (a whole number from 0)',
  'mix.minHumanShare': 'the minimum human share (0 to 1)',
  'mix.maxSyntheticDepth': 'the maximum synthetic depth (a whole number from 0)',
  'mix.maxSharePerGeneration': 'the maximum share per generation (above 0, at most 1)',
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export class DatasetsState {
  readonly choices = $state<DatasetChoices>(initialChoices('Project'))
  #phase = $state<DatasetsPhase>('idle')
  #readCount = $state(0)
  #previewView = $state.raw<PreviewView | null>(null)
  #refusal = $state<string | null>(null)
  #error = $state<string | null>(null)
  #progress = $state.raw<WriteProgress | null>(null)
  #result = $state.raw<ExportResult | null>(null)
  #history = $state.raw<DatasetSnapshot[]>([])
  #reviewedCount = $state<number | null>(null)

  readonly #api: DatasetsApi
  #db: WinnowDb | null = null
  #projectId: string | null = null
  /** Only a screen on view re-reads the store as the log is applied (a big import bumps it often). */
  #isShown = false
  readonly #refresh = coalesced(() => this.#readStore())

  constructor(deps: { api?: DatasetsApi } = {}) {
    this.#api = deps.api ?? defaultApi
  }

  get phase(): DatasetsPhase {
    return this.#phase
  }
  get isBusy(): boolean {
    return this.#phase !== 'idle'
  }
  /** Samples read from the store so far (reading for a preview or an export). */
  get readCount(): number {
    return this.#readCount
  }
  get preview(): PreviewView | null {
    return this.#previewView
  }
  /** The selection refused to build (probe or reference samples), in words. */
  get refusal(): string | null {
    return this.#refusal
  }
  get error(): string | null {
    return this.#error
  }
  get progress(): WriteProgress | null {
    return this.#progress
  }
  get result(): ExportResult | null {
    return this.#result
  }
  get history(): readonly DatasetSnapshot[] {
    return this.#history
  }
  /** Samples with a final decision (selected, edited or rejected); null until read. */
  get reviewedCount(): number | null {
    return this.#reviewedCount
  }
  get selectedFormats(): FormatId[] {
    return formatIds.filter((id) => this.choices.formats[id])
  }
  /** The ticked formats whose rows have fixed columns, so they can go into Parquet. */
  get huggingFaceFormats(): FormatId[] {
    return this.selectedFormats.filter((id) => columnsFor(id, defaultFormatOptions) !== null)
  }

  open(db: WinnowDb, projectId: string, projectName: string): void {
    this.close()
    this.#db = db
    this.#projectId = projectId
    Object.assign(this.choices, initialChoices(projectName))
    if (this.#isShown) void this.#refresh()
  }

  close(): void {
    this.#db = null
    this.#projectId = null
    this.#previewView = null
    this.#refusal = null
    this.#error = null
    this.#progress = null
    this.#result = null
    this.#history = []
    this.#reviewedCount = null
    this.#readCount = 0
  }

  /** The screen is on view: read the history and the review counts now and after every applied page. */
  show(): Promise<void> {
    this.#isShown = true
    return this.#refresh()
  }

  hide(): void {
    this.#isShown = false
  }

  /** The projection applied more of the log: a finished export shows up in the history. */
  storeChanged(): Promise<void> {
    return this.#isShown ? this.#refresh() : Promise.resolve()
  }

  /** Reads every sample's review and candidates, selects with the current choices, keeps the preview. */
  async showPreview(): Promise<void> {
    if (this.isBusy) return
    this.#error = null
    this.#result = null
    const db = this.#db
    const projectId = this.#projectId
    const built = specOf(this.choices)
    if (!built.ok) {
      this.#error = built.error
      return
    }
    if (db === null || projectId === null) return
    this.#phase = 'reading'
    this.#readCount = 0
    this.#refusal = null
    try {
      const outcome = await previewDataset(
        db,
        projectId,
        built.spec,
        await this.#api['monitor.protectedSets']({ projectId }),
        (read) => (this.#readCount = read),
      )
      if (this.#projectId !== projectId) return
      if (!outcome.ok) {
        this.#refuse(outcome.offenders)
        return
      }
      const { selection } = outcome
      this.#previewView = {
        preview: selection.preview,
        drops: selection.dropped.map(({ reason, ids }) => ({ reason, count: ids.length })),
        warnings: selection.warnings,
        inputCount: outcome.inputCount,
      }
    } catch (error) {
      if (this.#projectId === projectId)
        this.#error = `Could not read the reviewed samples: ${errorText(error)} Try again once the project has synced.`
    } finally {
      this.#phase = 'idle'
    }
  }

  /**
   * Selects with the current choices (what is written is what they say now) and writes the files, in one pass
   * over the store: rows stream out as samples are read, and what dedup and the mix policy drop at the end is
   * left out when main closes the files.
   */
  async export(): Promise<void> {
    if (this.isBusy) return
    this.#error = null
    this.#result = null
    const problem = this.#exportProblem()
    if (problem !== null) {
      this.#error = problem
      return
    }
    const built = specOf(this.choices)
    if (!built.ok) {
      this.#error = built.error
      return
    }
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    this.#phase = 'exporting'
    this.#refusal = null
    this.#previewView = null
    this.#progress = { read: 0, total: 0, rows: 0, stage: 'writing' }
    try {
      const outcome = await exportDataset(
        db,
        this.#api,
        projectId,
        {
          name: this.choices.name.trim(),
          folder: this.choices.folder.trim(),
          formats: this.selectedFormats,
          spec: built.spec,
          formatOptions: built.formatOptions,
          huggingFace: this.choices.huggingFace
            ? { formatId: this.choices.huggingFaceFormat, license: this.choices.license.trim() }
            : null,
          // The collapse monitor's frozen probe and reference sets, as main knows them now.
          protectedSets: await this.#api['monitor.protectedSets']({ projectId }),
        },
        (progress) => (this.#progress = progress),
      )
      if (this.#projectId !== projectId) return
      if (!outcome.ok) {
        this.#refuse(outcome.offenders)
        return
      }
      const { snapshot, folder } = outcome
      this.#result = {
        name: snapshot.name,
        folder,
        contentHash: snapshot.contentHash,
        files: snapshot.files,
      }
      void this.#refresh()
    } catch (error) {
      if (this.#projectId === projectId)
        this.#error =
          `The export failed and nothing was kept: ${errorText(error)} ` +
          'Check that the folder exists and Winnow may write to it, then export again.'
    } finally {
      this.#phase = 'idle'
      this.#progress = null
    }
  }

  #exportProblem(): string | null {
    if (this.choices.name.trim() === '') return 'Give the dataset a name: it names the new folder.'
    if (this.choices.folder.trim() === '')
      return 'Type the folder to export into: Winnow creates a new folder for the dataset inside it.'
    if (this.selectedFormats.length === 0) return 'Tick at least one format to write.'
    if (this.choices.huggingFace) {
      if (!this.huggingFaceFormats.includes(this.choices.huggingFaceFormat))
        return 'Choose which format’s rows go into the Hugging Face folder (a ticked one other than distillation).'
      if (!/^[a-z0-9][a-z0-9.+-]{0,63}$/.test(this.choices.license.trim()))
        return 'Give the Hugging Face folder a Hub license id, such as cc-by-4.0, apache-2.0 or other.'
    }
    return null
  }

  #refuse(offenders: readonly ProbeOffender[]): void {
    const samples = offenders.map((o) => o.sampleId).filter((id, index, all) => all.indexOf(id) === index)
    this.#previewView = null
    this.#refusal =
      `${samples.length} sample(s) in this selection belong to probe or reference sets ` +
      `(${samples.slice(0, 5).join(', ')}${samples.length > 5 ? ', …' : ''}), and those must never ` +
      'be trained on. Narrow the filter to leave them out.'
  }

  async #readStore(): Promise<void> {
    const db = this.#db
    const projectId = this.#projectId
    if (db === null || projectId === null) return
    try {
      const [history, counts] = await Promise.all([
        listDatasets(db, projectId),
        readReviewCountRows(db, projectId),
      ])
      if (this.#projectId !== projectId) return
      this.#history = history
      this.#reviewedCount = counts.selected + counts.edited + counts.rejected
    } catch (error) {
      if (this.#projectId === projectId) this.#error = `Could not read past exports: ${errorText(error)}`
    }
  }
}
