// The live preview of a generation job: the candidates being written right now, each with the text so far.
// Sent a few times a second while the job runs; never stored (the log gets the finished candidate).
import { z } from 'zod'

/** The tail of a long text is what a person watching needs; the whole text arrives with the candidate. */
export const STREAM_PREVIEW_CHARS = 2_000

export const liveCandidate = z.object({
  slot: z.string(),
  sampleId: z.string(),
  model: z.string(),
  temperature: z.number(),
  index: z.number().int().nonnegative(),
  text: z.string().max(STREAM_PREVIEW_CHARS),
  thinking: z.string().max(STREAM_PREVIEW_CHARS),
  /** Characters written before `text` and left out of the preview. */
  textOmitted: z.number().int().nonnegative(),
})
export type LiveCandidate = z.infer<typeof liveCandidate>

export const generationStreaming = z.object({
  projectId: z.string(),
  jobId: z.string(),
  streams: z.array(liveCandidate).max(64),
})
export type GenerationStreaming = z.infer<typeof generationStreaming>
