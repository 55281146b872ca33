// A custom-command trainer is an argv template: an array of arguments, never a shell string. Placeholders
// substitute inside one argument and never split or join arguments, so a path with spaces or quotes stays
// exactly one argument whatever it contains.
import { AppFailure } from '@shared/ipc/result'

export const placeholderNames = ['dataset', 'output', 'config', 'model'] as const
export type PlaceholderName = (typeof placeholderNames)[number]
export type PlaceholderValues = Partial<Record<PlaceholderName, string>>

export interface RenderedArgv {
  file: string
  args: string[]
}

// `{name}` is a placeholder; `{{` and `}}` are literal braces. Any other brace is literal too, so JSON or
// Python-dict arguments pass through untouched.
const token = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_-]*)\}/g

const isPlaceholderName = (name: string): name is PlaceholderName =>
  (placeholderNames as readonly string[]).includes(name)

/** Makes literal text safe to put in a template (a path chosen in a dialog): every brace is doubled. */
export const escapeTemplateText = (text: string): string => text.replace(/[{}]/g, (brace) => brace + brace)

/** Renders `template` (program first, then its arguments); throws an `invalid-payload` AppFailure. */
export function renderArgv(template: readonly string[], values: PlaceholderValues): RenderedArgv {
  if (template.length === 0) throw new AppFailure('invalid-payload', 'The trainer command is empty.')
  const rendered = template.map((argument, index) => renderArgument(argument, index, values))
  const [file, ...args] = rendered
  if (!file) throw new AppFailure('invalid-payload', 'The trainer command names no program.')
  return { file, args }
}

function renderArgument(argument: string, index: number, values: PlaceholderValues): string {
  const out = argument.replace(token, (whole: string, name: string | undefined) => {
    if (name === undefined) return whole[0]!
    if (!isPlaceholderName(name)) {
      throw new AppFailure(
        'invalid-payload',
        `Unknown placeholder {${name}} in argument ${index} (${JSON.stringify(argument)}). ` +
          `Known placeholders: ${placeholderNames.map((n) => `{${n}}`).join(', ')}; write {{ and }} for literal braces.`,
      )
    }
    const value = values[name]
    if (value === undefined) {
      throw new AppFailure(
        'invalid-payload',
        `The placeholder {${name}} in argument ${index} has no value for this run.`,
      )
    }
    return value
  })
  // The OS passes arguments as NUL-terminated strings: a NUL would silently truncate one.
  if (out.includes('\0'))
    throw new AppFailure('invalid-payload', `Argument ${index} contains a NUL character.`)
  return out
}
