// Files that look like another tool's annotation export are offered as that tool's format; plain JSON
// stays plain.
import { afterAll, describe, expect, it } from 'vitest'
import { detectFormat } from '../../../../src-main/services/import/parsers/index'
import { parseFile } from '../../../../src-main/services/import/parsers/index'
import { makeTempDir } from '../parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())

const prodigy = '{"text":"a","_input_hash":1,"_task_hash":2,"answer":"accept"}\n'
const labelStudio = '[\n  {"id": 1, "data": {"text": "a"}, "annotations": []}\n]\n'
const argillaV2 = '[{"id": "r", "fields": {"prompt": "a"}, "responses": {}, "suggestions": {}}]'
const hfFlat = '{"id":"r","prompt":"a","label.responses":["good"],"label.responses.users":["u"]}\n'

describe('detecting other tools’ exports', () => {
  it.each([
    ['dataset.jsonl', prodigy, 'prodigy-jsonl'],
    ['export.json', labelStudio, 'label-studio-json'],
    ['records.json', argillaV2, 'argilla-records'],
    ['records.jsonl', hfFlat, 'argilla-records'],
    ['plain.json', '[{"text": "a", "data": 1}]', 'json'],
    ['plain.jsonl', '{"text":"a","answer":"accept"}\n', 'jsonl'],
  ])('%s is %s', async (name, content, format) => {
    expect(await detectFormat(temp.write(name, content))).toBe(format)
  })

  it('reads Argilla records as a JSON array or as JSON Lines', async () => {
    const asLines = temp.write('lines.json', '{"fields": {"prompt": "a"}}\n{"fields": {"prompt": "b"}}\n')
    const asArray = temp.write('array.json', '[{"fields": {"prompt": "a"}}, {"fields": {"prompt": "b"}}]')
    for (const path of [asLines, asArray]) {
      const texts: unknown[] = []
      for await (const item of parseFile(path, 'argilla-records'))
        if (item.kind === 'record') texts.push((item.fields.fields as { prompt: string }).prompt)
      expect(texts).toEqual(['a', 'b'])
    }
  })
})
