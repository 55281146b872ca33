// What the fine-tuning tests share: the tiny model and its human reference paragraph, the hyperparameters, the
// build of llama-finetune (logged as it goes), and, for the monitor's tests, a quick generation 1 trained on
// generation 0's own stories made into reviewed export records here. The round trip curates a real project
// instead (finetune-project.ts).
import { join, resolve } from 'node:path'
import type { ExportRecord } from '@shared/export/export-record'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { GenerateRequest } from '../../src-main/engines/engine'
import { LlamaCppEngine } from '../../src-main/engines/llamacpp/llamacpp-engine'
import {
  ensureLlamaFinetune,
  type LlamaFinetuneBuild,
} from '../../src-main/services/training/llama-finetune-build'
import {
  renderFinetuneText,
  runLlamaFinetune,
  type LlamaFinetuneHyperparameters,
} from '../../src-main/services/training/llamacpp-recipe'

export const MODEL = resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf')
export const MODEL_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d'
/** Written by a person for this test, never trained on: the fixed human reference. */
export const REFERENCE =
  'Once upon a time, there was a little dog named Max. Max liked to run in the green grass with his ' +
  'friend Sam. One day, Sam found a small blue box under a tree. "What is in the box?" asked Max. ' +
  'They opened it together and found a shiny red ball. Max and Sam played with the ball until the sun ' +
  'went down, and then they went home happy.'
export const PROMPTS = [
  'Once upon a time',
  'One day, a little girl',
  'Tom and his mom',
  'The cat saw a big',
  'Lily wanted to play',
]
export const PER_PROMPT = 32
export const HYPERPARAMETERS: LlamaFinetuneHyperparameters = {
  epochs: 4,
  learningRate: 1e-4,
  contextSize: 128,
  threads: 2,
  valSplit: 0.05,
}
// The first build compiles llama.cpp: ~20 min on a busy 2-core machine, longer under nice.
export const BUILD_TIMEOUT_MS = 60 * 60_000

/** Builds (or reuses) llama-finetune, logging every tenth percent. */
export async function buildFinetuneTool(): Promise<LlamaFinetuneBuild> {
  let shown = -10
  const build = await ensureLlamaFinetune({
    onProgress: ({ phase, percent }) => {
      if (percent === null || percent >= shown + 10) {
        shown = percent ?? shown
        console.log(`llama-finetune build: ${phase}${percent === null ? '' : ` ${percent}%`}`)
      }
    },
  })
  console.log(
    build.built
      ? `built ${build.binary} in ${build.buildSeconds} s`
      : `reused the cached ${build.binary} (llama.cpp ${build.release})`,
  )
  return build
}

export function request(text: string, seed: number, maxTokens: number): GenerateRequest {
  return {
    model: 'stories260K.gguf',
    prompt: { mode: 'raw', text },
    sampling: { temperature: 1, topP: 1, topK: null, seed, maxTokens, stop: [] },
    logprobs: null,
    think: false,
    signal: new AbortController().signal,
  }
}

/** A reviewed sample as the exporter hands it over: generation 0's continuation, accepted or rejected. */
export function exportRecord(
  index: number,
  prompt: string,
  text: string,
  seed: number,
  accept: boolean,
): ExportRecord {
  const candidateId = `c${index}`
  return {
    sampleId: `s${index}`,
    externalId: null,
    source: { text: prompt, meta: {}, origin: 'human', depth: 0 },
    candidates: [
      {
        id: candidateId,
        text,
        thinking: null,
        model: 'stories260K.gguf',
        generationId: 0,
        sampling: { temperature: 1, topP: 1, topK: null, seed, maxTokens: 48, stop: [] },
        prompt: { mode: 'raw', text: prompt },
        logprobs: null,
      },
    ],
    review: accept
      ? { status: 'selected', chosenCandidateId: candidateId, finalText: text, negativeIds: [], flags: [] }
      : {
          status: 'rejected',
          chosenCandidateId: null,
          finalText: null,
          negativeIds: [candidateId],
          flags: [],
        },
  }
}

/** Generation 0 continues each prompt PER_PROMPT times (fixed seeds); every eighth story is rejected. */
export async function curateOwnStories(engine0: LlamaCppEngine): Promise<ExportRecord[]> {
  const records: ExportRecord[] = []
  for (const [p, prompt] of PROMPTS.entries())
    for (let k = 0; k < PER_PROMPT; k++) {
      const seed = 1000 * p + k
      const { text } = await engine0.generate(request(prompt, seed, 48))
      records.push(exportRecord(records.length, prompt, text, seed, records.length % 8 !== 7))
    }
  return records
}

/**
 * Generation 1 as the round trip makes it: generation 0's curated stories rendered as training text, and
 * llama-finetune run on them at the lowest priority. Answers the new GGUF file and what it was trained on.
 */
export async function fineTuneOnOwnStories(
  build: LlamaFinetuneBuild,
  work: string,
): Promise<{ output: string; rows: number; seconds: number }> {
  const engine0 = new LlamaCppEngine({ modelPath: MODEL, threads: 1 })
  try {
    const dataset = renderFinetuneText(await curateOwnStories(engine0), defaultFormatOptions)
    const output = join(work, 'generation-1.gguf')
    const run = await runLlamaFinetune(
      {
        program: build.binary,
        model: MODEL,
        dataset: join(work, 'train.txt'),
        output,
        hyperparameters: HYPERPARAMETERS,
      },
      dataset.text,
    )
    return { output, rows: dataset.rows, seconds: run.seconds }
  } finally {
    await engine0.close()
  }
}
