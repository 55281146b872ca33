// The Generate form as typed (strings, as the inputs hold them) and its parsing into the grid and sampling
// options of a GenerationSpec, with one readable problem per field that is not right.

export interface GenerateFields {
  temperatures: string
  candidatesPerCell: string
  seed: string
  maxTokens: string
  topP: string
  topK: string
  logprobsTopK: string
  think: boolean
}

export const defaultFields: GenerateFields = {
  temperatures: '0.7, 1',
  candidatesPerCell: '3',
  seed: '42',
  maxTokens: '256',
  topP: '',
  topK: '',
  logprobsTopK: '5',
  think: false,
}

export interface GridOptions {
  temperatures: number[]
  candidatesPerCell: number
  baseSeed: number
  maxTokens: number | null
  topP: number | null
  topK: number | null
  logprobsTopK: number | null
  think: boolean
}

export type ParsedFields =
  { ok: true; value: GridOptions } | { ok: false; problems: Partial<Record<keyof GenerateFields, string>> }

/** "0.7, 1, 1.2": 1–16 distinct numbers from 0 to 5. */
export function parseTemperatures(text: string): number[] | string {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  if (parts.length === 0) return 'Enter at least one temperature, e.g. 0.7, 1.'
  const values: number[] = []
  for (const part of parts) {
    const value = Number(part)
    if (!/^\d*\.?\d+$/.test(part) || !Number.isFinite(value) || value > 5)
      return `"${part}" is not a temperature from 0 to 5.`
    if (!values.includes(value)) values.push(value)
  }
  if (values.length > 16) return 'At most 16 temperatures.'
  return values
}

/** An integer in [min, max]; empty answers null when the field is optional. */
export function parseInteger(
  text: string,
  label: string,
  min: number,
  max: number,
  isOptional = false,
): number | null | string {
  const trimmed = text.trim()
  if (trimmed === '') return isOptional ? null : `${label} is required.`
  const value = Number(trimmed)
  if (!/^-?\d+$/.test(trimmed) || value < min || value > max)
    return `${label} must be a whole number from ${min} to ${max}.`
  return value
}

function parseTopP(text: string): number | null | string {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const value = Number(trimmed)
  return Number.isFinite(value) && value > 0 && value <= 1 ? value : 'Top-p must be above 0 and at most 1.'
}

export function parseFields(fields: GenerateFields): ParsedFields {
  const problems: Partial<Record<keyof GenerateFields, string>> = {}
  const temperatures = parseTemperatures(fields.temperatures)
  const candidatesPerCell = parseInteger(fields.candidatesPerCell, 'Candidates per cell', 1, 20)
  const seed = parseInteger(fields.seed, 'Seed', 0, 2 ** 31 - 1)
  const maxTokens = parseInteger(fields.maxTokens, 'Max tokens', 1, 32_768, true)
  const topP = parseTopP(fields.topP)
  const topK = parseInteger(fields.topK, 'Top-k', 1, 1000, true)
  const logprobsTopK = parseInteger(fields.logprobsTopK, 'Logprobs top-k', 0, 20, true)
  if (typeof temperatures === 'string') problems.temperatures = temperatures
  if (typeof candidatesPerCell === 'string') problems.candidatesPerCell = candidatesPerCell
  if (typeof seed === 'string') problems.seed = seed
  if (typeof maxTokens === 'string') problems.maxTokens = maxTokens
  if (typeof topP === 'string') problems.topP = topP
  if (typeof topK === 'string') problems.topK = topK
  if (typeof logprobsTopK === 'string') problems.logprobsTopK = logprobsTopK
  if (
    typeof temperatures === 'string' ||
    typeof candidatesPerCell !== 'number' ||
    typeof seed !== 'number' ||
    typeof maxTokens === 'string' ||
    typeof topP === 'string' ||
    typeof topK === 'string' ||
    typeof logprobsTopK === 'string'
  )
    return { ok: false, problems }
  return {
    ok: true,
    value: {
      temperatures,
      candidatesPerCell,
      baseSeed: seed,
      maxTokens,
      topP,
      topK,
      logprobsTopK,
      think: fields.think,
    },
  }
}
