// Deterministic, varied text for the export benchmark: words drawn from a Zipfian vocabulary of made-up
// words by a seeded generator, so exact and near-duplicate detection see a realistic spread (a handful
// of words cycling would make every text a near-duplicate of every other).
import { seededRandom } from '@shared/domain/seeded-random'
import { sha256Hex } from '@shared/domain/sha256'
import type { CandidateRecord } from '@shared/domain/candidate'
import type { SampleRecord } from '@shared/domain/sample'

const syllables = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tu',
  'sa',
  'vel',
  'or',
  'din',
  'pe',
  'shu',
  'an',
  'ix',
  'bo',
  'rel',
  'qua',
]
const VOCABULARY = 20_000

/** Word w (0 = most frequent) of the made-up vocabulary. */
function word(w: number): string {
  let out = ''
  let n = w + 1
  while (n > 0) {
    out += syllables[n % syllables.length]
    n = Math.floor(n / syllables.length)
  }
  return out
}

const words = Array.from({ length: VOCABULARY }, (_, w) => word(w))
// Zipf with exponent 1: cumulative weights 1/(r+1), sampled by binary search.
const cumulative = new Float64Array(VOCABULARY)
for (let r = 0, total = 0; r < VOCABULARY; r++) cumulative[r] = total += 1 / (r + 1)

function zipfWord(next: () => number): string {
  const target = next() * cumulative[VOCABULARY - 1]!
  let lo = 0
  let hi = VOCABULARY - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return words[lo]!
}

/** About `count` words of text number `index` (variant 0 is the source; 1, 2, … its rewrites). */
export function benchText(index: number, variant: number, count = 50): string {
  const next = seededRandom(index * 8 + variant + 1)
  const parts: string[] = []
  for (let i = 0; i < count; i++) parts.push(zipfWord(next))
  const sentence = parts.join(' ')
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.'
}

export function benchSample(ord: number, id: string, batchId: string): SampleRecord {
  const text = benchText(ord, 0)
  return {
    id,
    ord,
    text,
    externalId: `b${ord}`,
    meta: { source: 'bench', n: ord },
    origin: 'human',
    depth: 0,
    contentHash: sha256Hex(text),
    batchId,
    line: ord,
  }
}

/** A complete candidate as the generation job records it (chat prompt, sampling, timings), minus logprobs; the
 * review benchmark's seed uses it too, with its own text. */
export function benchCandidate(
  sample: SampleRecord,
  index: number,
  id: string,
  jobId: string,
  text: string = benchText(sample.ord, index + 1),
): CandidateRecord {
  return {
    id,
    sampleId: sample.id,
    jobId,
    slot: `${sample.id}|tiny:latest|0.7|${index}`,
    status: 'complete',
    text,
    thinking: null,
    failure: null,
    provenance: {
      engine: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'tiny:latest',
      modelDigest: 'sha256:' + '7'.repeat(64),
      engineVersion: '0.12.0',
      templateId: 'rewrite-plain',
      templateHash: 'a'.repeat(64),
      prompt: {
        mode: 'chat',
        messages: [
          { role: 'system', content: 'Rewrite the text in plain words. Keep its meaning.' },
          { role: 'user', content: sample.text },
        ],
      },
      sampling: { temperature: 0.7, topP: null, topK: null, seed: null, maxTokens: 256, stop: [] },
      logprobsTopK: null,
      think: false,
      attempt: 1,
      generationId: 0,
    },
    timings: { firstTokenMs: 40, totalMs: 900 },
    tokenCounts: { prompt: 90, completion: 60 },
    doneReason: 'stop',
    logprobs: null,
    logprobSummary: null,
    createdAt: new Date(Date.UTC(2026, 0, 1) + sample.ord * 1000 + index).toISOString(),
  }
}
