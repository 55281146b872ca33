// A finished run becomes the next model generation: registered with the collapse monitor (the one
// generation registry) with everything it came from, and into Ollama as well when the person asked for it.
// A GGUF runs in the embedded engine whatever Ollama says; an adapter needs Ollama to run at all.
import type { ModelGenerationRecord } from '@shared/domain/monitor'
import type { TrainingRunSpec } from '@shared/domain/training-run'
import type { GenerationInput, MonitorService } from '../monitor/monitor-service'
import { generationModelName } from './ollama-model-name'
import { registerInOllama } from './ollama-registration'
import type { CollectedOutput } from './training-outputs'

export interface TrainedRun {
  projectId: string
  spec: TrainingRunSpec
  parent: ModelGenerationRecord
  runId: string
  recipeId: string
  hyperparameters: Record<string, number | null>
  baseModel: { path: string; sha256: string | null }
  output: CollectedOutput
  signal: AbortSignal
}

export interface RegisteredRun {
  generation: ModelGenerationRecord | null
  ollamaModel: string | null
  /** What the person should know: a registration that did not happen, and what to do about it. */
  note: string | null
}

/** `stories260K · g2` after `stories260K · g1` (or after `stories260K`). */
export function nextGenerationLabel(parent: ModelGenerationRecord): string {
  return `${parent.label.replace(/ · g\d+$/u, '')} · g${parent.generation + 1}`
}

/** What a lineage is called in Ollama: `tiny` for `tiny`, `tiny · g1` and `tiny-winnow-g1` alike. */
function rootName(generation: ModelGenerationRecord): string {
  const name = generation.ollama?.name ?? generation.label.replace(/ · g\d+$/u, '')
  return name.replace(/-winnow-g\d+(?::latest)?$/u, '')
}

export async function registerTrainedGeneration(
  monitor: MonitorService,
  run: TrainedRun,
): Promise<RegisteredRun> {
  const { spec, parent, output } = run
  let ollama: { host: string; name: string } | null = null
  let note: string | null = null
  if (spec.ollamaHost !== null) {
    try {
      const registration = await registerInOllama({
        output,
        // An adapter is created `from` the Ollama model it was trained on; a GGUF needs no base there.
        baseModel: parent.ollama?.name ?? rootName(parent),
        generation: parent.generation + 1,
        modelName: generationModelName(rootName(parent), parent.generation + 1),
        host: spec.ollamaHost,
        signal: run.signal,
      })
      ollama = { host: spec.ollamaHost, name: registration.model }
    } catch (error) {
      if (run.signal.aborted) throw error
      note = `Not registered in Ollama: ${(error as Error).message}`
    }
  }
  const ggufPath = output.kind === 'gguf' ? output.path : null
  if (ggufPath === null && ollama === null)
    return {
      generation: null,
      ollamaModel: null,
      note:
        note ??
        'A LoRA adapter runs through Ollama: start the run again with "Also register in Ollama" to make it a generation.',
    }
  const input: GenerationInput & Pick<ModelGenerationRecord, 'training'> = {
    label: spec.label ?? nextGenerationLabel(parent),
    parentId: parent.id,
    engine: ollama === null ? 'llamacpp' : 'ollama',
    ggufPath,
    ollama,
    trainingSnapshotId: spec.snapshotId,
    training: {
      runId: run.runId,
      recipeId: run.recipeId,
      hyperparameters: run.hyperparameters,
      baseModel: run.baseModel,
      outputs: output.files,
    },
  }
  const generation = await monitor.register(run.projectId, input)
  return { generation, ollamaModel: ollama?.name ?? null, note }
}
