// The llama.cpp CPU fine-tune recipe: an export's accepted texts rendered to the one plain text file
// llama-finetune trains on, the argv of a run, and the run itself through the trainer runner.
import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import type { ExportRecord } from '@shared/export/export-record'
import type { FormatOptions } from '@shared/export/format-options'
import { acceptedText, promptMessages, promptString } from '@shared/export/record-texts'
import { AppFailure } from '@shared/ipc/result'
import { escapeTemplateText, renderArgv, type RenderedArgv } from './argv-template'
import { findOnPath } from './llama-finetune-build'
import type { TrainerProgress } from './progress-protocol'
import { startTrainer, type TrainerExit } from './trainer-process'

export const llamaFinetuneRecipeId = 'llamacpp-finetune'

export const llamaFinetuneHyperparameters = z.strictObject({
  epochs: z.number().int().min(1).max(1000),
  /** AdamW's initial rate (llama-finetune's -lr; its own default is 1e-5). */
  learningRate: z.number().positive().max(1),
  /** Tokens per training sample; llama-finetune strides its samples by half of it. */
  contextSize: z.number().int().min(16).max(32_768),
  threads: z.number().int().min(1).max(256),
  /** Share of samples held out for the `val` loss llama-finetune prints. */
  valSplit: z.number().min(0).max(0.5),
})
export type LlamaFinetuneHyperparameters = z.infer<typeof llamaFinetuneHyperparameters>

export interface PlainTextOptions {
  /** Put the rendered prompt before each accepted text: for models that should learn the task, not only the style. */
  includePrompt: boolean
}

export interface PlainTextDataset {
  text: string
  /** Records that contributed a text, and those without an accepted one (skipped, rejected, empty). */
  rows: number
  skipped: number
}

/**
 * One accepted text per record, in export order, separated by a blank line. llama-finetune tokenises the
 * whole file as one stream and cuts it into windows, so the blank line is the only record boundary it sees.
 */
export function renderFinetuneText(
  records: readonly ExportRecord[],
  format: FormatOptions,
  options: PlainTextOptions = { includePrompt: false },
): PlainTextDataset {
  const blocks: string[] = []
  for (const record of records) {
    const accepted = acceptedText(record, format)
    if (accepted === null) continue
    const block = options.includePrompt
      ? `${promptString(promptMessages(record, format))}\n\n${accepted}`
      : accepted
    blocks.push(block.trim())
  }
  if (blocks.length === 0)
    throw new AppFailure('invalid-payload', 'The export has no accepted texts to fine-tune on.')
  return { text: blocks.join('\n\n') + '\n', rows: blocks.length, skipped: records.length - blocks.length }
}

export interface FinetunePaths {
  /** The base model: an F32 GGUF file. */
  model: string
  /** The plain text file from renderFinetuneText. */
  dataset: string
  /** The GGUF file to write. */
  output: string
}

const template = ['--model', '{model}', '--file', '{dataset}', '-o', '{output}']

/** The argv of one llama-finetune run. Paths go through the argv template, escaped, one argument each. */
export function finetuneArgv(
  program: string,
  paths: FinetunePaths,
  hyperparameters: LlamaFinetuneHyperparameters,
): RenderedArgv {
  const hp = llamaFinetuneHyperparameters.parse(hyperparameters)
  const { file, args } = renderArgv([escapeTemplateText(program), ...template], paths)
  const ctx = String(hp.contextSize)
  return {
    file,
    args: [
      ...args,
      ...['--epochs', String(hp.epochs), '--learning-rate', String(hp.learningRate)],
      // One batch per window: llama-finetune asserts the context is a multiple of the batch.
      ...['--ctx-size', ctx, '--batch-size', ctx, '--ubatch-size', ctx],
      ...['--threads', String(hp.threads), '--val-split', String(hp.valSplit)],
    ],
  }
}

/** The argv run under `nice -n <niceness>` (19 by default) where there is one; as it is for null or on Windows. */
export function atNiceness(argv: RenderedArgv, niceness: number | null = 19): RenderedArgv {
  const nice = niceness === null || process.platform === 'win32' ? null : findOnPath(['nice'])
  return nice ? { file: nice, args: ['-n', String(niceness), argv.file, ...argv.args] } : argv
}

export interface FinetuneRunOptions extends FinetunePaths {
  program: string
  hyperparameters: LlamaFinetuneHyperparameters
  /** Run at this `nice` level where there is one (fine-tunes share the machine); null for normal priority. */
  niceness?: number | null
  signal?: AbortSignal
  onProgress?(progress: TrainerProgress): void
  onLine?(line: string): void
}

export interface FinetuneResult {
  exit: TrainerExit
  argv: RenderedArgv
  seconds: number
}

/** Writes the text file and runs llama-finetune to completion; throws with the log's tail on failure. */
export async function runLlamaFinetune(options: FinetuneRunOptions, text?: string): Promise<FinetuneResult> {
  if (text !== undefined) await writeFile(options.dataset, text, 'utf8')
  const argv = finetuneArgv(options.program, options, options.hyperparameters)
  const spawned = atNiceness(argv, options.niceness)
  const started = performance.now()
  const exit = await startTrainer({
    ...spawned,
    signal: options.signal,
    onProgress: (progress) => options.onProgress?.(progress),
    onLine: (_stream, line) => options.onLine?.(line),
  }).exited
  const seconds = (performance.now() - started) / 1000
  if (exit.cancelled) throw new AppFailure('unavailable', 'The fine-tune was cancelled.')
  if (exit.code !== 0)
    throw new AppFailure(
      'internal',
      `llama-finetune failed (exit ${exit.code ?? exit.signal}):\n${exit.stderr.text.slice(-2000)}`,
    )
  return { exit, argv, seconds }
}
