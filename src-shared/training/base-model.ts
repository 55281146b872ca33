// What base model a trainer recipe loads, and the shape of one a person types for the Python recipes: a
// Hugging Face id (`owner/name`) or the full path of a local model folder. Pure, so the fine-tune screen can
// say at once what is wrong; main checks the same and then the file system (base-model.ts there).

/**
 * Declared by each recipe manifest (`"baseModel"`):
 * - `gguf`: the parent generation's GGUF file (llama.cpp);
 * - `hf`: a Hugging Face id or a local safetensors/MLX folder the person gives (TRL, MLX-LM): required;
 * - `any`: what the person gives, if anything, else the parent's model as registered (custom commands).
 */
export const baseModelKinds = ['gguf', 'hf', 'any'] as const
export type BaseModelKind = (typeof baseModelKinds)[number]

/** The example the screen and the refusals show. */
export const baseModelExample = 'Qwen/Qwen2.5-0.5B-Instruct'

export type BaseModelShape =
  { kind: 'hf-id'; value: string } | { kind: 'path'; value: string } | { kind: 'invalid'; reason: string }

// Hugging Face's own rule for repo ids: letters, digits, `-`, `_`, `.`, neither `--` nor `..`, at most 96
// characters a part, not starting or ending with `-` or `.`.
const hubPart = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/
const isHubPart = (part: string) => hubPart.test(part) && !part.includes('--') && !part.includes('..')

/** An absolute path on any system Winnow runs on, or one under the home folder (`~/…`). */
export function isPathLike(value: string): boolean {
  return (
    value.startsWith('/') ||
    value === '~' ||
    value.startsWith('~/') ||
    value.startsWith('~\\') ||
    /^[A-Za-z]:[\\/]/.test(value) ||
    value.startsWith('\\\\')
  )
}

/** Whether `value` can be a base model in Hugging Face form, and which kind; a reason in words when not. */
export function baseModelShape(raw: string): BaseModelShape {
  const value = raw.trim()
  const what = `Enter a Hugging Face id such as ${baseModelExample}, or the full path of a local model folder`
  if (value === '') return { kind: 'invalid', reason: `The base model is empty. ${what}.` }
  if ([...value].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    return { kind: 'invalid', reason: `The base model contains a line break or control character. ${what}.` }
  if (isPathLike(value)) {
    if (value.toLowerCase().endsWith('.gguf'))
      return {
        kind: 'invalid',
        reason: `${value} is a GGUF file, which this recipe cannot load: give the folder of the original safetensors model it was converted from, or its Hugging Face id (such as ${baseModelExample}).`,
      }
    return { kind: 'path', value }
  }
  if (value.startsWith('.'))
    return {
      kind: 'invalid',
      reason: `${value} is a relative path: give the folder's full path (starting with / or ~/, or a drive letter on Windows).`,
    }
  const parts = value.split('/')
  if (parts.length === 2 && parts.every(isHubPart)) {
    if (/gguf$/iu.test(parts[1]!))
      return {
        kind: 'invalid',
        reason: `${value} is a repository of GGUF files, which this recipe cannot load: give the original model's id instead (for example ${baseModelExample} rather than ${baseModelExample}-GGUF).`,
      }
    return { kind: 'hf-id', value }
  }
  if (parts.length === 1 && value.includes(':'))
    return {
      kind: 'invalid',
      reason: `${value} looks like an Ollama model name; this recipe loads the Hugging Face model that Ollama model was made from. ${what}.`,
    }
  return {
    kind: 'invalid',
    reason: `${value} is neither a Hugging Face id (owner/name, such as ${baseModelExample}) nor a full folder path. ${what}.`,
  }
}
