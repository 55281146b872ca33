// What /api/show's Modelfile says the model is made from. For a model pulled or created on the server's
// machine its FROM names the weights blob by absolute path; for anything else (a model name, a relative
// path) there is no file to name.
import { isAbsolute } from 'node:path'

/** The first `FROM` of a Modelfile, when it names a file by an absolute path (a blob), else null. */
export function modelfileSource(modelfile: string | undefined): string | null {
  for (const line of (modelfile ?? '').split('\n')) {
    const trimmed = line.trim()
    // A FROM instruction: the keyword (any case), whitespace, then what the model is made from.
    if (trimmed.slice(0, 4).toUpperCase() !== 'FROM' || !/^\s/.test(trimmed.slice(4))) continue
    const source = trimmed.slice(4).trim()
    return isAbsolute(source) || /^[A-Za-z]:[\\/]/.test(source) ? source : null
  }
  return null
}
