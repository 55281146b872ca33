// A small hand-written project for the export golden tests: four samples whose decisions cover select,
// flag + edit, flag with correction + reject-all, and skip; with a separate thinking trace, an inline
// <think> block, stored logprobs, a partial candidate, and Hebrew (RTL) text with non-BMP characters.
import type { CandidateRecord } from '@shared/domain/candidate'
import type { DecisionKind, UnsealedDecision } from '@shared/domain/decision'
import { decisionRecord } from '@shared/domain/decision'
import { sealDecision } from '@shared/domain/decision-chain'
import { reduceSampleReview } from '@shared/domain/review-state'
import type { SampleRecord } from '@shared/domain/sample'
import { buildExportRecord } from '@shared/export/export-record'
import type { ExportRecord } from '@shared/export/export-record'
import { makeDecision } from '../../factories/decisions'

export const hebrewSource = 'שלום עולם 👋🏽 — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'

export function sample(id: string, text: string, origin: SampleRecord['origin'], ord: number): SampleRecord {
  const depth = origin === 'human' ? 0 : origin === 'model' ? 1 : null
  const meta = { topic: id }
  return {
    id,
    ord,
    text,
    externalId: `ext-${id}`,
    meta,
    origin,
    depth,
    contentHash: 'a'.repeat(64),
    batchId: 'b1',
    line: ord,
  }
}

export function candidate(
  id: string,
  sampleId: string,
  text: string,
  extra: Partial<CandidateRecord> = {},
): CandidateRecord {
  return {
    id,
    sampleId,
    jobId: 'j1',
    slot: `${sampleId}/${id}`,
    status: 'complete',
    text,
    thinking: null,
    failure: null,
    provenance: {
      engine: 'ollama',
      host: null,
      model: 'qwen3:0.6b',
      modelDigest: null,
      engineVersion: null,
      templateId: 'rewrite',
      templateHash: 'b'.repeat(64),
      prompt: { mode: 'raw', text: `Rewrite: ${text}` },
      sampling: { temperature: 1, topP: null, topK: null, seed: 7, maxTokens: null, stop: [] },
      logprobsTopK: null,
      think: false,
      attempt: 1,
      generationId: 0,
    },
    timings: { firstTokenMs: 10, totalMs: 100 },
    tokenCounts: { prompt: 5, completion: 5 },
    doneReason: 'stop',
    logprobs: null,
    logprobSummary: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  }
}

/** Decisions as the app records them: checked by the schema, sealed in one chain, reduced to a review. */
export function reviewOf(
  sampleId: string,
  shown: string[],
  actions: [DecisionKind, Partial<UnsealedDecision>][],
) {
  let prev: string | null = null
  const sealed = actions.map(([kind, overrides]) => {
    const record = decisionRecord.parse(
      sealDecision(makeDecision(kind, { sampleId, shownOrder: shown, ...overrides }), prev),
    )
    prev = record.hash
    return record
  })
  return reduceSampleReview(sealed)
}

const selectSample = sample('s1', 'The cat sat on the mat.', 'human', 1)
const selectCandidates = [
  candidate('c1a', 's1', 'A cat was sitting on the mat.', {
    thinking: 'Keep it simple.',
    provenance: {
      ...candidate('x', 's1', '').provenance,
      prompt: {
        mode: 'chat',
        messages: [
          { role: 'system', content: 'You rewrite text.' },
          { role: 'user', content: 'Rewrite: The cat sat on the mat.' },
        ],
      },
    },
    logprobs: {
      tokens: ['A', ' cat', ' was sitting on the mat.'],
      logprobs: [-0.25, -0.5, -1],
      topTokens: [['A', 'The'], [' cat'], [' was sitting on the mat.', ' sat']],
      topLogprobs: [[-0.25, -1.5], [-0.5], [-1, -2]],
    },
  }),
  candidate('c1b', 's1', 'The feline sat upon the mat.'),
  candidate('c1p', 's1', 'A cat wa', { status: 'partial' }),
]

const editSample = sample('s2', 'Paris is the capital of France.', 'model', 2)
const editCandidates = [
  candidate('c2a', 's2', "Paris is France's capital city."),
  candidate('c2b', 's2', 'Lyon is the capital of France.'),
  candidate('c2c', 's2', '<think>Shorter.</think> Paris, capital of France.'),
]
const wrongCity = {
  reason: 'factual-error',
  note: 'Wrong city.',
  correction: 'Paris is the capital of France.',
}

const rejectSample = sample('s3', hebrewSource, 'unknown', 3)
const rejectCandidates = [
  candidate('c3a', 's3', 'Hello world 👋🏽', { thinking: 'The user wrote Hebrew.' }),
  candidate('c3b', 's3', 'שלום 𝔘'),
]
const lostMeaning = { reason: 'meaning-changed', note: null, correction: 'שלום עולם 👋🏽' }

const skipSample = sample('s4', 'Skip me.', 'human', 4)

export const fixtureRecords: ExportRecord[] = [
  buildExportRecord(
    selectSample,
    selectCandidates,
    reviewOf('s1', ['c1a', 'c1b'], [['select', { candidateId: 'c1a' }]]),
  ),
  buildExportRecord(
    editSample,
    editCandidates,
    reviewOf(
      's2',
      ['c2a', 'c2b', 'c2c'],
      [
        ['flag', { candidateId: 'c2b', flag: wrongCity }],
        ['edit', { candidateId: 'c2a', editedText: 'Paris is the capital city of France.', diff: null }],
      ],
    ),
  ),
  buildExportRecord(
    rejectSample,
    rejectCandidates,
    reviewOf(
      's3',
      ['c3a', 'c3b'],
      [
        ['flag', { candidateId: 'c3a', flag: lostMeaning }],
        ['reject-all', {}],
      ],
    ),
  ),
  buildExportRecord(
    skipSample,
    [candidate('c4a', 's4', 'Skipped.')],
    reviewOf('s4', ['c4a'], [['skip', {}]]),
  ),
]
