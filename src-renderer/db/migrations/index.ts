// Every schema version in order. A schema change is a new numbered file added here, never an edit of an
// old one (CONVENTIONS.md 11); the migrations test checks the files are numbered 1, 2, 3… without gaps.
import type { Migration } from '../database'
import { migration as initial } from './001-initial'
import { migration as candidates } from './002-candidates'
import { migration as compactLogprobs } from './003-compact-logprobs'
import { migration as decisions } from './004-decisions'
import { migration as datasets } from './005-datasets'
import { migration as reviewTallies } from './006-review-tallies'
import { migration as confidenceIndex } from './007-confidence-index'
import { migration as dropIdKeyedTables } from './008-drop-id-keyed-tables'
import { migration as perProjectKeys } from './009-per-project-keys'

export const migrations: readonly Migration[] = [
  initial,
  candidates,
  compactLogprobs,
  decisions,
  datasets,
  reviewTallies,
  confidenceIndex,
  dropIdKeyedTables,
  perProjectKeys,
]

export const currentSchemaVersion = migrations.reduce((highest, step) => Math.max(highest, step.version), 0)
