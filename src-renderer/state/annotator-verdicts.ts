// Each annotator's own verdict on one sample, from that annotator's decisions alone: what a reviewer
// settling a disagreement needs to see side by side (the merged review shows only who decided last).
import type { DecisionRecord } from '@shared/domain/decision'
import { reduceSampleReview, type ReviewStatus } from '@shared/domain/review-state'

export interface AnnotatorVerdict {
  annotator: string
  status: ReviewStatus
  chosenCandidateId: string | null
  /** Their rewrite, when status is 'edited'. */
  finalText: string | null
  flagCount: number
  noteCount: number
}

/** One verdict per annotator who recorded anything on the sample, sorted by name. */
export function verdictsByAnnotator(decisions: readonly DecisionRecord[]): AnnotatorVerdict[] {
  const byAnnotator = new Map<string, DecisionRecord[]>()
  for (const decision of decisions) {
    const own = byAnnotator.get(decision.annotator)
    if (own) own.push(decision)
    else byAnnotator.set(decision.annotator, [decision])
  }
  return [...byAnnotator.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([annotator, own]) => {
      const review = reduceSampleReview(own)
      return {
        annotator,
        status: review.status,
        chosenCandidateId: review.chosenCandidateId,
        finalText: review.finalText,
        flagCount: review.flags.length,
        noteCount: review.notes.length,
      }
    })
}
