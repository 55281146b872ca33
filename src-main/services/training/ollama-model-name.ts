// The Ollama name a fine-tuned generation is registered under: `<base>-winnow-g<N>`, reduced to what
// Ollama accepts everywhere (types/model/name.go): [a-z0-9_.-], starting with a letter or digit, no `..`,
// a model part of at most 80 characters. Lower case, because Ollama compares names case-insensitively and
// two spellings of one model would otherwise look like two.

const maxModelPart = 80

/** `llama3.2:1b` → `llama3.2-1b-winnow-g2`; `hf.co/org/Model:Q4_K_M` → `model-q4_k_m-winnow-g2`. */
export function generationModelName(baseModel: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1)
    throw new RangeError(`A model generation is a whole number from 1, not ${generation}.`)
  const suffix = `-winnow-g${generation}`
  const withoutPrefix = baseModel.trim().replace(/^https?:\/\//i, '')
  // The host and namespace say where the base came from, not what it is; the tag is kept unless it is the
  // default, since `llama3.2:1b` and `llama3.2:3b` are different bases.
  const lastSegment = withoutPrefix.split('/').pop() ?? ''
  const [model = '', tag] = lastSegment.split(':')
  const stem = sanitisePart(tag && tag.toLowerCase() !== 'latest' ? `${model}-${tag}` : model)
  const room = maxModelPart - suffix.length
  const cut = stem.slice(0, room).replace(/[-_.]+$/, '')
  return `${cut === '' ? 'model' : cut}${suffix}`
}

function sanitisePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
}
