// Prompt templates: what a rewrite model is asked, versioned by a hash of exactly what shapes the prompt,
// so every candidate can name the template version that produced it. Syntax lives in template-syntax.ts.
import { z } from 'zod'
import { canonicalJson } from './canonical-json'
import type { SampleRecord } from './sample'
import { sha256Hex } from './sha256'
import { parseTemplateVariables, tokenizeTemplate } from './template-syntax'
import type { SyntaxProblemCode } from './template-syntax'

export { escapeTemplateText, parseTemplateVariables, tokenizeTemplate } from './template-syntax'

export const templateModes = ['chat', 'raw'] as const

export const promptTemplate = z.object({
  /** Stable across edits (a slug for shipped defaults, a UUID for user templates); the hash is the version. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/i, 'expected a slug or UUID'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  /** `chat`: system + user messages for instruction models; `raw`: one completion prompt for base models. */
  mode: z.enum(templateModes),
  /** Chat: the system message. Raw: prepended to the body, separated by a blank line. */
  system: z.string().nullable(),
  /** Chat: the user message. Raw: the completion prompt. */
  template: z.string(),
  createdAt: z.iso.datetime().optional(),
})
export type PromptTemplate = z.infer<typeof promptTemplate>

/** The fields that change the rendered prompt; name, description and dates do not. */
export type TemplateBody = Pick<PromptTemplate, 'mode' | 'system' | 'template'>

/** A rendered prompt: what the engines (src-main/engines/engine.ts) receive and the preview shows. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}
export type RenderedPrompt = { mode: 'chat'; messages: ChatMessage[] } | { mode: 'raw'; text: string }

/**
 * Bumped if rendering rules ever change (escapes, raw-mode separator), so that an old hash can never name
 * a prompt that the new rules would render differently.
 */
const templateSyntaxVersion = 1

/** An empty system prompt renders like none, so both hash the same. */
const effectiveSystem = (system: string | null): string | null => (system === '' ? null : system)

/** SHA-256 hex of the canonical JSON of mode, system and template text. */
export function templateHash(template: TemplateBody): string {
  return sha256Hex(
    canonicalJson({
      syntax: templateSyntaxVersion,
      mode: template.mode,
      system: effectiveSystem(template.system),
      template: template.template,
    }),
  )
}

export interface TemplateProblem {
  severity: 'error' | 'warning'
  code: SyntaxProblemCode | 'empty-template' | 'no-text-variable'
  message: string
  field: 'system' | 'template'
  /** Position in the field, in UTF-16 code units (what editors and String.slice use); line/column 1-based. */
  offset: number
  length: number
  line: number
  column: number
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset)
  const lastBreak = before.lastIndexOf('\n')
  return { line: before.split('\n').length, column: offset - lastBreak }
}

function fieldProblems(source: string, field: TemplateProblem['field']): TemplateProblem[] {
  return tokenizeTemplate(source).problems.map((problem) => ({
    ...problem,
    severity: problem.code === 'stray-close' ? 'warning' : 'error',
    field,
    ...position(source, problem.offset),
  }))
}

/** Problems in a template, errors first, each with where it is. An empty list means ready to use. */
export function validateTemplate(template: TemplateBody): TemplateProblem[] {
  const system = effectiveSystem(template.system)
  const problems = [...(system === null ? [] : fieldProblems(system, 'system'))]
  problems.push(...fieldProblems(template.template, 'template'))
  const at = { offset: 0, length: 0, line: 1, column: 1 }
  if (template.template.trim() === '')
    problems.push({
      severity: 'error',
      code: 'empty-template',
      message: template.mode === 'chat' ? 'The user message is empty.' : 'The prompt is empty.',
      field: 'template',
      ...at,
    })
  else if (![system ?? '', template.template].some((text) => parseTemplateVariables(text).includes('text')))
    problems.push({
      severity: 'warning',
      code: 'no-text-variable',
      message: 'The template never uses {{text}}, so the model will not see the sample.',
      field: 'template',
      ...at,
    })
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}

export type TemplateSample = Pick<SampleRecord, 'text' | 'externalId' | 'origin' | 'meta'>

/** Own properties only, so `{{meta.constructor}}` or `{{meta.__proto__}}` never reach Object.prototype. */
function lookupMeta(meta: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = meta
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/** Strings as they are; other values as canonical JSON, so the same data always renders the same prompt. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return canonicalJson(value)
  } catch {
    // Not JSON (meta built in code rather than parsed): something readable beats a failed generation.
    try {
      return String(value)
    } catch {
      return ''
    }
  }
}

function valueOf(name: string, sample: TemplateSample): string | undefined {
  if (name === 'text') return sample.text
  if (name === 'origin') return sample.origin
  if (name === 'external_id') return sample.externalId ?? undefined
  const value = lookupMeta(sample.meta, name.split('.').slice(1))
  return value === undefined || value === null ? undefined : formatValue(value)
}

/**
 * One pass over the template's tokens: each value is inserted as-is and never scanned again, so a sample
 * containing `{{meta.secret}}` stays that literal text. Missing values (absent or null) render as empty.
 */
function renderField(source: string, sample: TemplateSample, missing: Set<string>): string {
  let out = ''
  for (const token of tokenizeTemplate(source).tokens) {
    if (token.kind === 'literal') out += token.text
    else if (token.kind === 'bad-tag') out += token.source
    else {
      const value = valueOf(token.name, sample)
      if (value === undefined) missing.add(token.name)
      out += value ?? ''
    }
  }
  return out
}

/**
 * Renders a template for one sample. Chat: [system?, user] messages. Raw: the system text (if any), a blank
 * line, then the body, as one completion prompt. Never throws; invalid tags render as their source text.
 */
export function renderTemplate(
  template: TemplateBody,
  sample: TemplateSample,
): { prompt: RenderedPrompt; missing: string[] } {
  const missing = new Set<string>()
  const systemSource = effectiveSystem(template.system)
  const system = systemSource === null ? null : renderField(systemSource, sample, missing)
  const body = renderField(template.template, sample, missing)
  const prompt: RenderedPrompt =
    template.mode === 'chat'
      ? {
          mode: 'chat',
          messages: [
            ...(system === null ? [] : [{ role: 'system' as const, content: system }]),
            { role: 'user', content: body },
          ],
        }
      : { mode: 'raw', text: system === null ? body : `${system}\n\n${body}` }
  return { prompt, missing: [...missing] }
}
