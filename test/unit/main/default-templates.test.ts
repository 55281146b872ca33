// The shipped prompt templates load from resources/, pass validation cleanly and are all distinct versions.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RenderedPrompt as EngineRenderedPrompt } from '../../../src-main/engines/engine'
import { loadDefaultTemplates } from '../../../src-main/services/templates/default-templates'
import { renderTemplate, templateHash, validateTemplate } from '@shared/domain/prompt-template'

const resourcesDir = resolve(import.meta.dirname, '../../../resources')
const sample = { text: 'Tom had a red ball.', externalId: null, origin: 'human' as const, meta: {} }

describe('loadDefaultTemplates', () => {
  it('loads paraphrase, simplify, fix errors, formalise and continue, each valid with a distinct hash', async () => {
    const templates = await loadDefaultTemplates(resourcesDir)
    expect(templates.map((t) => t.id)).toStrictEqual([
      'continue',
      'fix-errors',
      'formalise',
      'paraphrase',
      'simplify',
    ])
    for (const template of templates) expect(validateTemplate(template), template.id).toStrictEqual([])
    expect(new Set(templates.map(templateHash)).size).toBe(templates.length)
  })

  it('renders chat defaults with a system prompt and continue as a raw prompt of the text itself', async () => {
    const templates = await loadDefaultTemplates(resourcesDir)
    for (const template of templates) {
      // The shared RenderedPrompt must stay assignable to the engines' own type.
      const prompt: EngineRenderedPrompt = renderTemplate(template, sample).prompt
      if (template.id === 'continue') expect(prompt).toStrictEqual({ mode: 'raw', text: sample.text })
      else {
        expect(prompt.mode).toBe('chat')
        if (prompt.mode === 'chat') {
          expect(prompt.messages.map((m) => m.role)).toStrictEqual(['system', 'user'])
          expect(prompt.messages[1]?.content).toContain(sample.text)
        }
      }
    }
  })

  it('names the file when a template is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'winnow-templates-'))
    await mkdir(join(dir, 'templates'))
    const good = { id: 'a', name: 'A', description: '', mode: 'chat', system: null, template: '{{text}}' }
    await writeFile(join(dir, 'templates', 'a.json'), JSON.stringify(good))
    await writeFile(
      join(dir, 'templates', 'b.json'),
      JSON.stringify({ ...good, id: 'b', template: '{{title}}' }),
    )
    await expect(loadDefaultTemplates(dir)).rejects.toThrow(/b\.json.*Unknown variable "title"/)
    await writeFile(join(dir, 'templates', 'b.json'), JSON.stringify(good))
    await expect(loadDefaultTemplates(dir)).rejects.toThrow(/b\.json repeats id "a"/)
    await writeFile(join(dir, 'templates', 'b.json'), '{')
    await expect(loadDefaultTemplates(dir)).rejects.toThrow(/b\.json is not valid JSON/)
  })
})
