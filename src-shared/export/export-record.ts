// One reviewed sample as the exporters see it: the source with its provenance, the complete candidates, and
// what the person decided, already resolved to texts and candidate ids. Formatters read only this, so they
// stay pure and never have to reduce decisions or look anything up themselves.
import { z } from 'zod'
import type { CandidateRecord } from '../domain/candidate'
import { candidateProvenance } from '../domain/candidate'
import { decisionFlag } from '../domain/decision'
import type { SampleReview } from '../domain/review-state'
import type { SampleRecord } from '../domain/sample'
import { jsonObject, origin } from '../domain/sample'
import { compactLogprobs } from '../domain/token-logprobs'

export const exportCandidate = z.object({
  id: z.string(),
  text: z.string(),
  /** Ollama's separate reasoning field; exported only when asked. */
  thinking: z.string().nullable(),
  model: z.string(),
  generationId: z.number().int().nonnegative(),
  sampling: candidateProvenance.shape.sampling,
  /** The prompt the model actually saw: distillation needs it, since the logprobs are conditional on it. */
  prompt: candidateProvenance.shape.prompt,
  logprobs: compactLogprobs.nullable(),
})
export type ExportCandidate = z.infer<typeof exportCandidate>

export const exportFlag = decisionFlag.extend({ candidateId: z.string() })
export type ExportFlag = z.infer<typeof exportFlag>

export const exportRecord = z.object({
  sampleId: z.string(),
  externalId: z.string().nullable(),
  source: z.object({
    text: z.string(),
    meta: jsonObject,
    origin,
    depth: z.number().int().nonnegative().nullable(),
  }),
  /** Complete candidates only, in the order they were recorded: a partial text is never training data. */
  candidates: z.array(exportCandidate),
  review: z.object({
    status: z.enum(['unreviewed', 'selected', 'edited', 'rejected', 'skipped']),
    chosenCandidateId: z.string().nullable(),
    /** The text the person accepted: the chosen candidate's, or their edit. Null unless selected or edited. */
    finalText: z.string().nullable(),
    /**
     * Candidates judged worse than the final text, worst first (most flags first, then recorded order):
     * every other candidate when one was chosen, all of them after reject-all, only the flagged ones
     * otherwise. A candidate whose text equals the final text is never a negative (a pair must differ).
     */
    negativeIds: z.array(z.string()),
    flags: z.array(exportFlag),
  }),
})
export type ExportRecord = z.infer<typeof exportRecord>

function toExportCandidate(candidate: CandidateRecord): ExportCandidate {
  const { id, text, thinking, provenance, logprobs } = candidate
  const { model, generationId, sampling, prompt } = provenance
  return { id, text, thinking, model, generationId, sampling, prompt, logprobs }
}

function negativesOf(
  review: SampleReview,
  candidates: ExportCandidate[],
  finalText: string | null,
): string[] {
  const flagCount = (id: string): number => review.flags.filter((flag) => flag.candidateId === id).length
  const isNegative = (candidate: ExportCandidate): boolean => {
    if (candidate.text === finalText) return false
    if (review.status === 'rejected') return true
    if (review.status === 'selected' || review.status === 'edited')
      // The chosen candidate is a negative only when it was flagged and then fixed by an edit.
      return candidate.id !== review.chosenCandidateId || flagCount(candidate.id) > 0
    return flagCount(candidate.id) > 0
  }
  // Array.prototype.sort is stable, so equal flag counts keep the recorded order.
  return candidates
    .filter(isNegative)
    .sort((a, b) => flagCount(b.id) - flagCount(a.id))
    .map((candidate) => candidate.id)
}

/** Builds the record from the store's types; throws if the chosen candidate is missing or not complete. */
export function buildExportRecord(
  sample: SampleRecord,
  candidates: readonly CandidateRecord[],
  review: SampleReview,
): ExportRecord {
  const complete = candidates
    .filter((c) => c.sampleId === sample.id && c.status === 'complete')
    .map(toExportCandidate)
  const chosen = complete.find((c) => c.id === review.chosenCandidateId) ?? null
  if (review.chosenCandidateId !== null && chosen === null)
    throw new Error(`export: sample ${sample.id} chose ${review.chosenCandidateId}, not a complete candidate`)
  const finalText = review.status === 'edited' ? review.finalText : (chosen?.text ?? null)
  return {
    sampleId: sample.id,
    externalId: sample.externalId,
    source: { text: sample.text, meta: sample.meta, origin: sample.origin, depth: sample.depth },
    candidates: complete,
    review: {
      status: review.status,
      chosenCandidateId: review.chosenCandidateId,
      finalText,
      negativeIds: negativesOf(review, complete, finalText),
      flags: review.flags.map(({ candidateId, reason, note, correction }) => ({
        candidateId,
        reason,
        note,
        correction,
      })),
    },
  }
}
