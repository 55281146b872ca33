// The file a recipe trains on, taken from a frozen export: the snapshot's own JSONL when the recipe reads
// that format, or (llama.cpp) plain text rebuilt from the rows' accepted texts. Either way the snapshot's
// file must still match the digest the export recorded: a run never trains on a file edited since it was
// frozen.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { AppFailure } from '@shared/ipc/result'
import type { SnapshotSummary } from '@shared/training/training-fold'
import { acceptedTextOfRow, textBearingFormats, type TextBearingFormat } from '@shared/training/accepted-text'
import type { TrainedFile } from '@shared/domain/training-run'
import { writeFileAtomic } from '../../fs/atomic-write'
import { digestFile } from './file-digest'
import type { Recipe } from './recipe'

export interface TrainingDataset extends TrainedFile {
  format: Recipe['reads'][number]
  rows: number
  /** The snapshot's test split in the same format, when it has rows. */
  validationPath: string | null
}

function snapshotFile(snapshot: SnapshotSummary, format: string, split: 'train' | 'test') {
  return snapshot.files.find((f) => f.path === `${format}/${split}.jsonl`) ?? null
}

async function checkedDigest(snapshot: SnapshotSummary, rel: string, expected: string): Promise<string> {
  const path = join(snapshot.folder, ...rel.split('/'))
  const { digest } = await digestFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new AppFailure(
      'not-found',
      `${path} from the dataset "${snapshot.name}" cannot be read (${error.code ?? error.message}). ` +
        'Was the export folder moved or deleted? Export the dataset again.',
    )
  })
  if (digest !== `sha256:${expected}`)
    throw new AppFailure(
      'conflict',
      `${path} has changed since the dataset "${snapshot.name}" was exported: its digest no longer matches. ` +
        'Export the dataset again rather than editing its files.',
    )
  return path
}

/** The dataset the recipe will read, written into `workDir` when it has to be rendered. */
export async function trainingDataset(
  recipe: Recipe,
  snapshot: SnapshotSummary,
  workDir: string,
): Promise<TrainingDataset> {
  for (const format of recipe.reads) {
    if (format === 'plain-text') continue
    const train = snapshotFile(snapshot, format, 'train')
    if (train === null || train.lines === 0) continue
    const path = await checkedDigest(snapshot, train.path, train.sha256)
    const test = snapshotFile(snapshot, format, 'test')
    const validationPath =
      test !== null && test.lines > 0 ? await checkedDigest(snapshot, test.path, test.sha256) : null
    return {
      name: `${format}/train.jsonl`,
      path,
      bytes: train.bytes,
      sha256: train.sha256,
      format,
      rows: train.lines,
      validationPath,
    }
  }
  if (recipe.reads.includes('plain-text')) {
    const source = textBearingFormats
      .map((format) => ({ format, file: snapshotFile(snapshot, format, 'train') }))
      .find(({ file }) => file !== null && file.lines > 0)
    if (source?.file) return renderPlainText(snapshot, source.format, source.file, workDir)
  }
  const wanted = recipe.reads.map((f) => (f === 'plain-text' ? textBearingFormats.join(' or ') : f))
  throw new AppFailure(
    'invalid-payload',
    `${recipe.label} reads ${wanted.join(', ')}; the dataset "${snapshot.name}" has ` +
      `${snapshot.formats.join(', ')}. Export it again in one of the formats the recipe reads.`,
  )
}

async function renderPlainText(
  snapshot: SnapshotSummary,
  format: TextBearingFormat,
  file: SnapshotSummary['files'][number],
  workDir: string,
): Promise<TrainingDataset> {
  const source = await checkedDigest(snapshot, file.path, file.sha256)
  const blocks: string[] = []
  let lineNumber = 0
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity })
  try {
    for await (const line of lines) {
      lineNumber++
      if (line.trim() === '') continue
      let row: unknown
      try {
        row = JSON.parse(line)
      } catch {
        row = null
      }
      const text = acceptedTextOfRow(format, row)
      if (text === null)
        throw new AppFailure(
          'invalid-payload',
          `${source}, line ${lineNumber}, is not a ${format} row. Export the dataset again.`,
        )
      // llama-finetune reads one stream of tokens: a blank line is the only boundary between texts.
      if (text.trim() !== '') blocks.push(text.trim())
    }
  } catch (error) {
    if (error instanceof AppFailure) throw error
    throw new AppFailure(
      'not-found',
      `${source} from the dataset "${snapshot.name}" cannot be read (${(error as Error).message}). Export it again.`,
    )
  }
  if (blocks.length === 0)
    throw new AppFailure(
      'invalid-payload',
      `The dataset "${snapshot.name}" has no accepted texts to train on.`,
    )
  const text = `${blocks.join('\n\n')}\n`
  const path = join(workDir, 'train.txt')
  await writeFileAtomic(path, text)
  const { digest, size } = await digestFile(path)
  return {
    name: 'train.txt',
    path,
    bytes: size,
    sha256: digest.slice('sha256:'.length),
    format: 'plain-text',
    rows: blocks.length,
    validationPath: null,
  }
}
