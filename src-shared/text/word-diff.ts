// Word-level diff of a source or candidate text against the person's edit, for the Review screen and for the
// diff stored with an edit decision. Built on jsdiff's `diffWordsWithSpace`, whose parts give back both texts
// exactly (plain `diffWords` moves whitespace between parts, so it cannot be replayed byte for byte).
import { diffWordsWithSpace } from 'diff'

/**
 * One run of a diff. The parts of a `wordDiff` result always satisfy:
 * - `equal` + `delete` texts, in order, concatenate to `before` exactly;
 * - `equal` + `insert` texts, in order, concatenate to `after` exactly;
 * - no part is empty, and no two adjacent parts have the same op.
 */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete'
  text: string
}

export interface DiffStats {
  insertedWords: number
  deletedWords: number
  unchangedWords: number
}

/**
 * How much work a diff may take before it gives up and reports the whole text as replaced. jsdiff's cost
 * grows with length times edit distance, so two long unrelated texts could otherwise freeze the window.
 * `maxEditLength` counts jsdiff tokens (words, punctuation marks, whitespace runs and newlines).
 */
export interface DiffLimits {
  maxEditLength: number
  timeoutMs: number
}

export const defaultDiffLimits: DiffLimits = { maxEditLength: 5000, timeoutMs: 500 }

/**
 * The word diff from `before` to `after`. When the limits are exceeded the answer is one `delete` of
 * `before` and one `insert` of `after`: still a correct diff, only not a minimal one. Because the timeout
 * depends on the machine, store the parts that were shown rather than recomputing them later.
 */
export function wordDiff(before: string, after: string, limits: DiffLimits = defaultDiffLimits): DiffPart[] {
  if (before === after) return before === '' ? [] : [{ op: 'equal', text: before }]
  const changes = diffWordsWithSpace(before, after, {
    maxEditLength: limits.maxEditLength,
    timeout: limits.timeoutMs,
  })
  if (changes === undefined) return wholeReplacement(before, after)
  return normalized(
    changes.map((change) => ({
      op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
      text: change.value,
    })),
  )
}

/** Word counts per op. A word is a run of non-whitespace characters inside one part, so an added comma
 * counts as one inserted word, and a word that the diff splits across parts counts once in each. */
export function diffStats(parts: readonly DiffPart[]): DiffStats {
  const stats: DiffStats = { insertedWords: 0, deletedWords: 0, unchangedWords: 0 }
  for (const part of parts) {
    const words = countWords(part.text)
    if (part.op === 'insert') stats.insertedWords += words
    else if (part.op === 'delete') stats.deletedWords += words
    else stats.unchangedWords += words
  }
  return stats
}

/**
 * Replays a stored diff on `before` and returns the edited text. Throws when the parts were not made from
 * this `before` (a stored diff replayed on a different text would silently produce a wrong edit).
 */
export function applyDiff(before: string, parts: readonly DiffPart[]): string {
  let cursor = 0
  let after = ''
  for (const [index, part] of parts.entries()) {
    if (part.op !== 'insert') {
      if (!before.startsWith(part.text, cursor)) {
        throw new Error(`diff part ${index} (${part.op}) does not match the text at offset ${cursor}`)
      }
      cursor += part.text.length
    }
    if (part.op !== 'delete') after += part.text
  }
  if (cursor !== before.length) {
    throw new Error(`diff covers ${cursor} of ${before.length} characters of the text`)
  }
  return after
}

function wholeReplacement(before: string, after: string): DiffPart[] {
  return normalized([
    { op: 'delete', text: before },
    { op: 'insert', text: after },
  ])
}

/** Drops empty parts and merges neighbours with the same op, so consumers can rely on the invariants.
 * jsdiff already merges its own runs; this covers the fallback and any change in jsdiff's output. */
function normalized(parts: readonly DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = []
  for (const part of parts) {
    if (part.text === '') continue
    const last = merged.at(-1)
    if (last !== undefined && last.op === part.op) last.text += part.text
    else merged.push({ op: part.op, text: part.text })
  }
  return merged
}

function countWords(text: string): number {
  return text.match(/\S+/gu)?.length ?? 0
}
