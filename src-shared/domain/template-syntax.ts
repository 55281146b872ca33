// The prompt template language: `{{text}}`, `{{external_id}}`, `{{origin}}`, `{{meta.a.b}}`; `{{{{` and
// `}}}}` write literal `{{` and `}}`; single braces are plain text. One tokenizer serves validation,
// rendering and editor highlighting.

/** Built-in variables besides `meta.<path>`. */
export const sampleVariables = ['text', 'external_id', 'origin'] as const

export type TemplateToken =
  | { kind: 'literal'; text: string; offset: number }
  /** `name` is normalised (inner spaces trimmed): `text`, `external_id`, `origin` or `meta.<path>`. */
  | { kind: 'variable'; name: string; offset: number; length: number }
  /** A tag that is not a known variable; rendered as its source text, and reported by validation. */
  | { kind: 'bad-tag'; source: string; offset: number; length: number }

export type SyntaxProblemCode = 'unclosed-tag' | 'invalid-tag' | 'unknown-variable' | 'stray-close'

export interface SyntaxProblem {
  code: SyntaxProblemCode
  message: string
  offset: number
  length: number
}

// Meta keys may be any letters or digits (not only ASCII), so that imported column names work as written.
const segment = String.raw`[\p{L}\p{N}_$-]+`
const nameShape = new RegExp(`^${segment}(?:\\.${segment})*$`, 'u')

export const isKnownVariable = (name: string): boolean =>
  (sampleVariables as readonly string[]).includes(name) || (name.startsWith('meta.') && nameShape.test(name))

function classifyTag(inner: string): { name: string } | { code: SyntaxProblemCode; message: string } {
  const name = inner.trim()
  if (isKnownVariable(name)) return { name }
  if (name === '')
    return { code: 'invalid-tag', message: 'Empty tag {{}}: name a variable or write {{{{ for a literal {{.' }
  if (!nameShape.test(name)) return { code: 'invalid-tag', message: `"${name}" is not a variable name.` }
  const hint = name === 'meta' ? ' Name a field: {{meta.field}}.' : ''
  return {
    code: 'unknown-variable',
    message: `Unknown variable "${name}". Known: text, external_id, origin, meta.<field>.${hint}`,
  }
}

/** Splits a template into literals and tags, single pass, left to right. Never throws. */
export function tokenizeTemplate(source: string): { tokens: TemplateToken[]; problems: SyntaxProblem[] } {
  const tokens: TemplateToken[] = []
  const problems: SyntaxProblem[] = []
  let literal = ''
  let literalStart = 0
  const pushLiteral = (text: string, at: number): void => {
    if (literal === '') literalStart = at
    literal += text
  }
  const flush = (): void => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal, offset: literalStart })
    literal = ''
  }
  let i = 0
  while (i < source.length) {
    const open = source.indexOf('{{', i)
    const close = source.indexOf('}}', i)
    const next = open < 0 ? close : close < 0 ? open : Math.min(open, close)
    if (next < 0) {
      pushLiteral(source.slice(i), i)
      break
    }
    if (next > i) pushLiteral(source.slice(i, next), i)
    i = next
    if (source.startsWith('{{{{', i) || source.startsWith('}}}}', i)) {
      pushLiteral(source.slice(i, i + 2), i)
      i += 4
    } else if (next === open && source[i + 2] === '{') {
      // `{{{x}}` is a literal `{` and then a tag, so escaped text ending in `{` can precede a tag.
      pushLiteral('{', i)
      i += 1
    } else if (next === close) {
      problems.push({
        code: 'stray-close',
        message: 'Stray }} with no opening {{ (it is kept as text; write }}}} to mean a literal }}).',
        offset: i,
        length: 2,
      })
      pushLiteral('}}', i)
      i += 2
    } else {
      const end = source.indexOf('}}', i + 2)
      const reopen = source.indexOf('{{', i + 2)
      if (end < 0 || (reopen >= 0 && reopen < end)) {
        problems.push({
          code: 'unclosed-tag',
          message: 'This {{ is never closed with }} (write {{{{ for a literal {{).',
          offset: i,
          length: 2,
        })
        pushLiteral('{{', i)
        i += 2
        continue
      }
      flush()
      const length = end + 2 - i
      const tag = classifyTag(source.slice(i + 2, end))
      if ('name' in tag) tokens.push({ kind: 'variable', name: tag.name, offset: i, length })
      else {
        tokens.push({ kind: 'bad-tag', source: source.slice(i, end + 2), offset: i, length })
        problems.push({ code: tag.code, message: tag.message, offset: i, length })
      }
      i = end + 2
    }
  }
  flush()
  return { tokens, problems }
}

/** The known variables a template text uses, each once, in order of first use. */
export function parseTemplateVariables(source: string): string[] {
  const names = tokenizeTemplate(source).tokens.flatMap((token) =>
    token.kind === 'variable' ? [token.name] : [],
  )
  return [...new Set(names)]
}

/** Template source that renders exactly `text`: doubles every `{{` and `}}` (for inserting literal text). */
export const escapeTemplateText = (text: string): string =>
  text.replace(/\{\{/g, '{{{{').replace(/\}\}/g, '}}}}')
