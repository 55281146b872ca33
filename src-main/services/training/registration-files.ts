// Which files of a finished run go to Ollama, and under which names. A GGUF model is one file. A LoRA
// adapter is a .gguf adapter, or a folder as PEFT and MLX-LM write it: the adapter weights (.safetensors)
// and adapter_config.json, which Ollama needs to convert them. Checkpoints, tokenizers and logs stay home.
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'

export type RunOutputKind = 'gguf' | 'lora-adapter'

export interface RunOutput {
  kind: RunOutputKind
  /** A file, or (adapters) the folder the trainer wrote. */
  path: string
}

export interface RegistrationFile {
  /** The name Ollama sees: a plain file name, which its relative-path check always accepts. */
  name: string
  path: string
}

export async function registrationFiles(output: RunOutput): Promise<RegistrationFile[]> {
  const info = await stat(output.path).catch((error: NodeJS.ErrnoException) => {
    throw new AppFailure(
      'not-found',
      `The run's output ${output.path} is missing (${error.code ?? error.message}). ` +
        'Was it moved or deleted? Run the fine-tune again or point Winnow at the file.',
    )
  })
  if (info.isFile()) {
    const name = basename(output.path)
    if (output.kind === 'gguf' && !name.toLowerCase().endsWith('.gguf'))
      throw new AppFailure('invalid-payload', `${name} is not a .gguf file; Ollama only imports GGUF models.`)
    return [{ name, path: output.path }]
  }
  if (!info.isDirectory() || output.kind === 'gguf')
    throw new AppFailure('invalid-payload', `Expected a .gguf file at ${output.path}, found a folder.`)
  return adapterFolderFiles(output.path)
}

async function adapterFolderFiles(dir: string): Promise<RegistrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((e) => e.isFile()).map((e) => e.name)
  const ggufs = names.filter((n) => n.toLowerCase().endsWith('.gguf'))
  if (ggufs.length === 1) return [{ name: ggufs[0]!, path: join(dir, ggufs[0]!) }]
  if (ggufs.length > 1)
    throw new AppFailure(
      'invalid-payload',
      `${dir} holds several .gguf files (${ggufs.join(', ')}); choose the adapter file itself.`,
    )
  const weights = names.filter((n) => n.endsWith('.safetensors')).sort()
  // PEFT writes adapter_model.safetensors and MLX-LM adapters.safetensors, next to numbered checkpoints.
  const chosen =
    weights.find((n) => n === 'adapter_model.safetensors' || n === 'adapters.safetensors') ??
    (weights.length === 1 ? weights[0] : undefined)
  if (chosen === undefined || !names.includes('adapter_config.json'))
    throw new AppFailure(
      'invalid-payload',
      `${dir} holds no LoRA adapter Winnow can pick: expected one .gguf adapter, or adapter_model.safetensors ` +
        `(or adapters.safetensors) with adapter_config.json; found ${names.join(', ') || 'nothing'}.`,
    )
  return [chosen, 'adapter_config.json'].map((name) => ({ name, path: join(dir, name) }))
}
