// The import screen's services: preview a file (format, fields, first rows, suggested fields), start an
// import job, and save a batch's full error list where the user chose.
import { copyFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { homedir } from 'node:os'
import { toolOfFormat, type ImportFormat, type ImportSpec } from '@shared/domain/import-spec'
import { AppFailure } from '@shared/ipc/result'
import { fsyncDir } from '../../fs/atomic-write'
import type { JobRunner } from '../jobs/job-runner'
import type { ProjectRegistry } from '../projects/project-registry'
import { detectFormat, previewFile } from './parsers/index'
import { errorFilePath, type ImportParams } from './import-job'
import { uuidv7 } from '@shared/ids/uuidv7'
import { flattenForScreen, toolTextFields } from './tools/text-fields'

const textFieldNames = ['text', 'content', 'body', 'document', 'completion', 'output', 'response', 'sentence']
const idFieldNames = ['id', '_id', 'uuid', 'external_id', 'externalId', 'doc_id', 'sample_id', 'key']

/** Paths typed by a person may start with ~; everything else is made absolute. */
export const resolveUserPath = (path: string): string =>
  resolve(path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path)

export class ImportService {
  constructor(
    private readonly registry: ProjectRegistry,
    private readonly jobs: JobRunner,
  ) {}

  async preview(path: string, format: ImportFormat | null) {
    const file = await this.#checkFile(path)
    const preview = await previewFile(file, format ?? (await detectFormat(file)), 20)
    const tool = toolOfFormat[preview.format]
    // Another tool's record nests its text (Label Studio's data, Argilla's fields): offer those keys.
    const textFields = tool === undefined ? null : toolTextFields(tool, preview.rows)
    const rows = tool === undefined ? preview.rows : preview.rows.map((row) => flattenForScreen(tool, row))
    const fields = textFields ? [...new Set([...textFields.fields, ...preview.fields])] : preview.fields
    return {
      format: preview.format,
      fileName: basename(file),
      sizeBytes: preview.sizeBytes,
      fields,
      rows,
      errors: preview.errors.map((error) => ({ line: error.location.line, reason: error.reason })),
      suggestedTextField: textFields?.suggested ?? suggestTextField(preview.fields, preview.rows),
      // The tools' own ids (task hashes, task and record ids) identify their records: no id field to choose.
      suggestedIdField: tool ? null : (preview.fields.find((field) => idFieldNames.includes(field)) ?? null),
    }
  }

  async start(projectId: string, spec: ImportSpec): Promise<{ jobId: string; batchId: string }> {
    const path = await this.#checkFile(spec.path)
    await this.registry.load(projectId)
    const batchId = uuidv7()
    const params: ImportParams = { projectId, batchId, spec: { ...spec, path } }
    const job = await this.jobs.start(projectId, 'import', `Import ${basename(path)}`, params)
    return { jobId: job.id, batchId }
  }

  async saveErrors(
    projectId: string,
    batchId: string,
    target: string,
  ): Promise<{ path: string; errorCount: number }> {
    const state = await this.registry.state(projectId)
    const batch = state.batches.get(batchId)
    if (!batch) throw new AppFailure('not-found', 'That import batch does not exist in this project.')
    const source = errorFilePath(this.registry.folder(projectId), batchId)
    const destination = resolveUserPath(target)
    const temp = join(dirname(destination), `.${basename(destination)}.${uuidv7()}.tmp`)
    try {
      await copyFile(source, temp)
      await rename(temp, destination)
      await fsyncDir(dirname(destination))
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
    return { path: destination, errorCount: batch.counts?.rejected ?? 0 }
  }

  async #checkFile(path: string): Promise<string> {
    const file = resolveUserPath(path)
    const info = await stat(file).catch(() => null)
    if (!info) throw new AppFailure('not-found', `There is no file at ${file}. Check the path and try again.`)
    if (!info.isFile()) throw new AppFailure('invalid-payload', `${file} is a folder, not a file.`)
    return file
  }
}

/** The field most likely to hold the text: a known name, else the string field with the longest values. */
function suggestTextField(fields: string[], rows: Record<string, unknown>[]): string | null {
  const known = textFieldNames.find((name) => fields.includes(name))
  if (known) return known
  let best: string | null = null
  let bestLength = 0
  for (const field of fields) {
    const lengths = rows.map((row) => {
      const value = row[field]
      return typeof value === 'string' ? value.length : 0
    })
    const mean = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length)
    if (mean > bestLength) {
      best = field
      bestLength = mean
    }
  }
  return best
}
