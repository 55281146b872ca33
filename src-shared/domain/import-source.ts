// Where an imported candidate or decision came from: the annotation tool, the file, the tool's own ids, and
// who did it and when as the tool recorded it — null wherever the tool did not say. Candidates generated here
// and decisions made here have no such record.
import { z } from 'zod'

export const annotationTools = ['prodigy', 'label-studio', 'argilla'] as const
export const annotationTool = z.enum(annotationTools)
export type AnnotationTool = z.infer<typeof annotationTool>

export const annotationToolLabels: Record<AnnotationTool, string> = {
  prodigy: 'Prodigy',
  'label-studio': 'Label Studio',
  argilla: 'Argilla',
}

export const importedFrom = z.object({
  tool: annotationTool,
  fileName: z.string(),
  /** The import batch that first brought it in (a re-import of the same file adds nothing). */
  batchId: z.string(),
  /** 1-based line where the record starts in the file (a minified JSON array is all line 1). */
  line: z.number().int().positive(),
  /** The tool's own id of the record or annotation: Prodigy's _task_hash, Label Studio's annotation id… */
  recordId: z.string().nullable(),
  /** The annotator exactly as the tool named them; null for a candidate. */
  annotator: z.string().nullable(),
  /** When the tool says the annotation was made; null where it does not say. */
  at: z.string().nullable(),
  /** The model the tool says wrote a candidate (Label Studio's model_version, Argilla's agent); else null. */
  model: z.string().nullable(),
})
export type ImportedFrom = z.infer<typeof importedFrom>
