// Loads the prompt templates shipped in resources/templates/*.json. The resources folder is a parameter:
// the Electron app resolves it differently when packaged, and tests point it at the checkout.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promptTemplate, validateTemplate } from '@shared/domain/prompt-template'
import type { PromptTemplate } from '@shared/domain/prompt-template'

/**
 * Every shipped template, sorted by id. Throws naming the file if one is not valid JSON, fails the schema,
 * has template errors, or repeats an id: a broken default is a packaging bug, not a user's problem.
 */
export async function loadDefaultTemplates(resourcesDir: string): Promise<PromptTemplate[]> {
  const dir = join(resourcesDir, 'templates')
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort()
  const templates: PromptTemplate[] = []
  for (const file of files) {
    const path = join(dir, file)
    let json: unknown
    try {
      json = JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      throw new Error(`Default template ${path} is not valid JSON`, { cause: error })
    }
    const parsed = promptTemplate.safeParse(json)
    if (!parsed.success) throw new Error(`Default template ${path} is invalid: ${parsed.error.message}`)
    const errors = validateTemplate(parsed.data).filter((problem) => problem.severity === 'error')
    if (errors.length > 0)
      throw new Error(`Default template ${path}: ${errors.map((problem) => problem.message).join('; ')}`)
    if (templates.some((template) => template.id === parsed.data.id))
      throw new Error(`Default template ${path} repeats id "${parsed.data.id}"`)
    templates.push(parsed.data)
  }
  return templates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
