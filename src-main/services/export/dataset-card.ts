// The Hugging Face dataset card (README.md) of an exported dataset folder: YAML front matter that the Hub
// reads (configs with data files per split, features, license, task categories, tags) written with the
// `yaml` library, then a body that says where every row came from and what the collapse monitor measured.
import { stringify } from 'yaml'
import type { ColumnType, Columns } from '@shared/export/parquet-columns'

/** COLLAPSE.md's provenance statistics of the training set; null where not measured yet. */
export type CollapseStats = {
  /** Whether every original human record is in the set; false is the "replace" regime. */
  realDataRetained: boolean | null
  /** Share of tokens written by people (ρ). */
  realTokenFraction: number | null
  realCount: number | null
  /** Human-written or heavily edited (normalised edit distance > 0.3). */
  freshHumanShare: number | null
  nearDuplicateRate: number | null
  /** Rows per sampling temperature, keyed by the temperature as written. */
  temperatureMix: Record<string, number> | null
}

export type ProvenanceStats = {
  rowsByOrigin: Record<string, number>
  /** Keyed by depth ("0", "1", …) or "unknown". */
  depthHistogram: Record<string, number>
  rowsByModelGeneration: Record<string, number>
  humanShare: number | null
  /** Null where the export does not record them (the snapshot counts samples, not decisions). */
  decisionsByKind: Record<string, number> | null
  annotators: number | null
}

export type DatasetCardInput = {
  prettyName: string
  license: string
  /** ISO 639-1 codes; omitted from the card when unknown. */
  languages: string[] | null
  taskCategories: string[]
  formatLabel: string
  splits: { name: string; path: string; rows: number }[]
  columns: Columns
  provenance: ProvenanceStats
  collapse: CollapseStats
}

type Feature = Record<string, unknown>

/** The Hub's feature notation: dtype for scalars, `list` and `struct` for nesting. */
function featureType(type: ColumnType): unknown {
  if (type === 'string') return { dtype: 'string' }
  if (type === 'boolean') return { dtype: 'bool' }
  if (type === 'double') return { dtype: 'float64' }
  if ('list' in type) {
    const inner = type.list
    return typeof inner === 'string'
      ? { list: (featureType(inner) as Feature).dtype }
      : { list: fields(inner) }
  }
  return { struct: fields(type) }
}

function fields(type: ColumnType): unknown {
  if (typeof type === 'string' || !('struct' in type)) return featureType(type)
  return Object.entries(type.struct).map(([name, t]) => ({ name, ...(featureType(t) as Feature) }))
}

export function cardFrontMatter(input: DatasetCardInput): Record<string, unknown> {
  return {
    pretty_name: input.prettyName,
    license: input.license,
    ...(input.languages === null || input.languages.length === 0 ? {} : { language: input.languages }),
    task_categories: input.taskCategories,
    tags: ['synthetic', 'winnow'],
    configs: [
      { config_name: 'default', data_files: input.splits.map(({ name, path }) => ({ split: name, path })) },
    ],
    dataset_info: {
      features: Object.entries(input.columns).map(([name, t]) => ({ name, ...(featureType(t) as Feature) })),
      splits: input.splits.map(({ name, rows }) => ({ name, num_examples: rows })),
    },
  }
}

const shown = (value: number | boolean | null, asPercent = false): string =>
  value === null
    ? 'not measured'
    : typeof value === 'boolean'
      ? value
        ? 'yes'
        : 'no'
      : asPercent
        ? `${(value * 100).toFixed(1)} %`
        : String(value)

const table = (title: string, counts: Record<string, number>): string[] => [
  `| ${title} | rows |`,
  '|---|---|',
  ...Object.entries(counts).map(([key, n]) => `| ${key} | ${n} |`),
  '',
]

function cardBody(input: DatasetCardInput): string[] {
  const { provenance: p, collapse: c } = input
  const temperatures =
    c.temperatureMix === null
      ? ['Sampling temperatures: not measured', '']
      : table('temperature', c.temperatureMix)
  return [
    `# ${input.prettyName}`,
    '',
    `Exported by Winnow as ${input.formatLabel}: model-generated rewrites, each accepted, edited, flagged or rejected by a person.`,
    '',
    '## Provenance',
    '',
    ...table('origin', p.rowsByOrigin),
    ...table('synthetic depth', p.depthHistogram),
    ...table('model generation', p.rowsByModelGeneration),
    `Human share: ${shown(p.humanShare, true)}. Annotators: ${p.annotators ?? 'not recorded'}.`,
    '',
    ...(p.decisionsByKind === null ? [] : table('decision', p.decisionsByKind)),
    '## Collapse statistics',
    '',
    `- Real data retained: ${shown(c.realDataRetained)}`,
    `- Real token fraction: ${shown(c.realTokenFraction, true)}`,
    `- Real records: ${shown(c.realCount)}`,
    `- Fresh human share: ${shown(c.freshHumanShare, true)}`,
    `- Near-duplicate rate: ${shown(c.nearDuplicateRate, true)}`,
    '',
    ...temperatures,
  ]
}

export function buildDatasetCard(input: DatasetCardInput): string {
  return `---\n${stringify(cardFrontMatter(input))}---\n\n${cardBody(input).join('\n')}`
}
