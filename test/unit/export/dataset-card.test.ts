// The dataset card: front matter is valid YAML with the keys the Hub reads; the body states provenance and
// says "not measured" for collapse statistics that are still null.
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { buildDatasetCard } from '../../../src-main/services/export/dataset-card'
import type { DatasetCardInput } from '../../../src-main/services/export/dataset-card'

const input: DatasetCardInput = {
  prettyName: 'Rewrites: "quoted" name',
  license: 'cc-by-4.0',
  languages: ['en', 'he'],
  taskCategories: ['text-generation'],
  formatLabel: 'KTO / unpaired preference',
  splits: [
    { name: 'train', path: 'data/train-00000-of-00001.parquet', rows: 4 },
    { name: 'test', path: 'data/test-00000-of-00001.parquet', rows: 1 },
  ],
  columns: {
    prompt: { list: { struct: { role: 'string', content: 'string' } } },
    completion: 'string',
    label: 'boolean',
  },
  provenance: {
    rowsByOrigin: { human: 3, model: 2 },
    depthHistogram: { '0': 3, '1': 2 },
    rowsByModelGeneration: { '0': 5 },
    humanShare: 0.6,
    decisionsByKind: { select: 2, edit: 1, flag: 2 },
    annotators: 2,
  },
  collapse: {
    realDataRetained: true,
    realTokenFraction: null,
    realCount: 3,
    freshHumanShare: null,
    nearDuplicateRate: null,
    temperatureMix: null,
  },
}

function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card)
  expect(match).not.toBeNull()
  return parse(match?.[1] ?? '') as Record<string, unknown>
}

describe('dataset card', () => {
  it('front matter parses and has the Hub keys', () => {
    const meta = frontMatter(buildDatasetCard(input))
    expect(Object.keys(meta).sort()).toStrictEqual(
      ['configs', 'dataset_info', 'language', 'license', 'pretty_name', 'tags', 'task_categories'].sort(),
    )
    expect(meta).toMatchObject({
      pretty_name: 'Rewrites: "quoted" name',
      license: 'cc-by-4.0',
      language: ['en', 'he'],
      task_categories: ['text-generation'],
      tags: ['synthetic', 'winnow'],
      configs: [
        {
          config_name: 'default',
          data_files: [
            { split: 'train', path: 'data/train-00000-of-00001.parquet' },
            { split: 'test', path: 'data/test-00000-of-00001.parquet' },
          ],
        },
      ],
    })
    expect(meta.dataset_info).toStrictEqual({
      features: [
        {
          name: 'prompt',
          list: [
            { name: 'role', dtype: 'string' },
            { name: 'content', dtype: 'string' },
          ],
        },
        { name: 'completion', dtype: 'string' },
        { name: 'label', dtype: 'bool' },
      ],
      splits: [
        { name: 'train', num_examples: 4 },
        { name: 'test', num_examples: 1 },
      ],
    })
  })

  it('leaves language out when it is unknown', () => {
    expect(frontMatter(buildDatasetCard({ ...input, languages: null }))).not.toHaveProperty('language')
  })

  it('states provenance and marks unmeasured collapse statistics', () => {
    const card = buildDatasetCard(input)
    expect(card).toContain('| human | 3 |')
    expect(card).toContain('Human share: 60.0 %. Annotators: 2.')
    expect(card).toContain('- Real data retained: yes')
    expect(card).toContain('- Real token fraction: not measured')
    expect(card).toContain('Sampling temperatures: not measured')
  })
})
