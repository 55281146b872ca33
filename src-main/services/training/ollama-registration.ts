// Registers a finished fine-tune in Ollama as the next model generation: hash each output file, upload the
// blobs Ollama lacks, then POST /api/create with `files` (a GGUF model) or `from` + `adapters` (a LoRA
// adapter on its base), reading the NDJSON status stream to its `success` line. Plain fetch, not ollama-js:
// its create type has no `files` and it cannot upload blobs (FORMATS.md, "Back into Ollama").
import { AppFailure } from '@shared/ipc/result'
import { digestFile } from './file-digest'
import { LineDecoder } from './line-decoder'
import { ensureBlob } from './ollama-blobs'
import { callOllama, serverMessage } from './ollama-http'
import { generationModelName } from './ollama-model-name'
import { registrationFiles, type RunOutput } from './registration-files'

export const defaultOllamaHost = 'http://127.0.0.1:11434'

/**
 * `hashing`, then `uploading` as each file's turn comes, followed by `present` when Ollama already had it
 * and nothing was sent; then `creating` once per status line Ollama streams.
 */
export type RegistrationEvent =
  { phase: 'hashing' | 'uploading' | 'present'; file: string } | { phase: 'creating'; status: string }

export interface RegistrationRequest {
  output: RunOutput
  /** The Ollama model the run started from: the adapter's `from`, and the stem of the new name. */
  baseModel: string
  /** The generation this run produces (the base is generation N − 1). */
  generation: number
  /** Overrides the derived `<base>-winnow-g<N>`; must already satisfy Ollama's name rules. */
  modelName?: string
  host?: string
  signal?: AbortSignal
  onEvent?: (event: RegistrationEvent) => void
}

export interface RegisteredBlob {
  name: string
  digest: string
  size: number
  /** False when Ollama already held the blob and nothing was sent. */
  uploaded: boolean
}

export interface Registration {
  model: string
  kind: RunOutput['kind']
  from: string | null
  blobs: RegisteredBlob[]
}

export async function registerInOllama(request: RegistrationRequest): Promise<Registration> {
  try {
    return await register(request)
  } catch (error) {
    // Whatever was interrupted (a file read, an upload, the create stream), a cancel reads as the cancel.
    if (request.signal?.aborted) throw request.signal.reason
    throw error
  }
}

async function register(request: RegistrationRequest): Promise<Registration> {
  const host = (request.host ?? defaultOllamaHost).replace(/\/+$/, '')
  const { signal, onEvent } = request
  const model = request.modelName ?? generationModelName(request.baseModel, request.generation)
  const files = await registrationFiles(request.output)

  // Hash everything before the first upload, so a missing or unreadable file fails before any network use.
  const hashed = []
  for (const file of files) {
    onEvent?.({ phase: 'hashing', file: file.name })
    hashed.push({ ...file, ...(await digestFile(file.path, signal)) })
  }
  const blobs: RegisteredBlob[] = []
  for (const file of hashed) {
    onEvent?.({ phase: 'uploading', file: file.name })
    const uploaded = await ensureBlob(host, file, signal)
    if (!uploaded) onEvent?.({ phase: 'present', file: file.name })
    blobs.push({ name: file.name, digest: file.digest, size: file.size, uploaded })
  }

  const digests = Object.fromEntries(blobs.map((b) => [b.name, b.digest]))
  const isAdapter = request.output.kind === 'lora-adapter'
  const payload = isAdapter
    ? { model, from: request.baseModel, adapters: digests, stream: true }
    : { model, files: digests, stream: true }
  await createModel(host, model, payload, signal, onEvent)
  return { model, kind: request.output.kind, from: isAdapter ? request.baseModel : null, blobs }
}

async function createModel(
  host: string,
  model: string,
  payload: object,
  signal: AbortSignal | undefined,
  onEvent: RegistrationRequest['onEvent'],
): Promise<void> {
  const response = await callOllama(
    host,
    '/api/create',
    {
      method: 'POST',
      body: JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
      signal,
    },
    `creating ${model}`,
  )
  if (!response.ok || !response.body) {
    const message = await serverMessage(response)
    throw createFailure(model, message, response.status)
  }
  const decoder = new LineDecoder()
  let last = ''
  let isCreated = false
  // Read to the end of the stream, not just to `success`: an error after it would still mean failure.
  const readLines = (lines: string[]): void => {
    for (const line of lines) {
      last = statusOf(model, line)
      if (last === 'success') isCreated = true
      onEvent?.({ phase: 'creating', status: last })
    }
  }
  try {
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read())
      readLines(decoder.push(read.value))
    readLines(decoder.end())
    if (isCreated) return
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw error instanceof AppFailure ? error : createFailure(model, `the stream broke: ${String(error)}`, 0)
  }
  throw new AppFailure(
    'unavailable',
    `Ollama stopped answering before ${model} was created (last status: ${last || 'none'}). ` +
      'The model was probably not registered: check `ollama list`, then register again.',
  )
}

/** One NDJSON line: its status, or the server's error raised as a failure. Unreadable lines fail too. */
function statusOf(model: string, line: string): string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw createFailure(model, `an unreadable status line (${line.slice(0, 120)})`, 0)
  }
  if (typeof value !== 'object' || value === null) throw createFailure(model, `an unexpected line ${line}`, 0)
  const { error, status } = value as { error?: unknown; status?: unknown }
  if (typeof error === 'string') throw createFailure(model, error, typeof status === 'number' ? status : 0)
  return typeof status === 'string' ? status : ''
}

function createFailure(model: string, message: string, status: number): AppFailure {
  const hint = hintFor(message)
  return new AppFailure(
    status >= 400 && status < 500 ? 'invalid-payload' : 'unavailable',
    `Ollama could not create ${model}: ${message.replace(/[.\s]+$/, '')}.${hint ? ` ${hint}` : ''}`,
  )
}

function hintFor(message: string): string {
  if (/adapters are no longer supported/i.test(message))
    return 'This Ollama release no longer imports LoRA adapters: merge the adapter into its base model and register the GGUF, or use the embedded engine.'
  if (/not found, try pulling/i.test(message))
    return 'The base model must be in this Ollama: pull it (`ollama pull <name>`), then register again.'
  if (/no space left/i.test(message))
    return 'Free disk space where Ollama keeps its models, then register again; uploaded blobs are reused.'
  if (/invalid model name/i.test(message)) return 'Choose a name of letters, digits, `_`, `-` and `.`.'
  return ''
}
