// What a finished run produced, found and hashed: the GGUF the recipe named, a single GGUF the trainer left
// in its output folder, or a LoRA adapter folder (registration-files.ts picks its weights and config).
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { TrainedFile } from '@shared/domain/training-run'
import { digestFile } from './file-digest'
import type { Recipe } from './recipe'
import { registrationFiles, type RunOutput } from './registration-files'

export interface CollectedOutput extends RunOutput {
  files: TrainedFile[]
}

export async function collectOutputs(
  recipe: Recipe,
  outputPath: string | null,
  outputDir: string,
): Promise<CollectedOutput> {
  let output: RunOutput
  if (outputPath !== null) output = { kind: 'gguf', path: outputPath }
  else {
    const names = (await readdir(outputDir, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
    const ggufs = names.filter((name) => name.toLowerCase().endsWith('.gguf'))
    // A folder with one .gguf and no adapter_config.json is a model; anything else is read as an adapter.
    const isModel =
      ggufs.length === 1 && (recipe.produces === 'gguf' || !names.includes('adapter_config.json'))
    output = isModel
      ? { kind: 'gguf', path: join(outputDir, ggufs[0]!) }
      : { kind: 'lora-adapter', path: outputDir }
  }
  const files: TrainedFile[] = []
  for (const file of await registrationFiles(output)) {
    const { digest, size } = await digestFile(file.path)
    files.push({ name: file.name, path: file.path, bytes: size, sha256: digest.slice('sha256:'.length) })
  }
  return { ...output, files }
}
