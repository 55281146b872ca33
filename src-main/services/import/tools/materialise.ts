// Turns a mapped tool record into what the log holds: a sample, candidate records and unsealed decisions,
// each with an id derived from the tool's own ids and the content, so importing the same file again finds
// the same ids and adds nothing. Imported candidates and decisions say where they came from (importedFrom).
import { createHash } from 'node:crypto'
import { canonicalJson } from '@shared/domain/canonical-json'
import type { CandidateRecord } from '@shared/domain/candidate'
import { unsealedDecision, type UnsealedDecision } from '@shared/domain/decision'
import type { AnnotationTool, ImportedFrom } from '@shared/domain/import-source'
import type { Origin } from '@shared/domain/sample'
import type { ToolRecord } from './tool-record'

export interface ImportPlace {
  tool: AnnotationTool
  projectId: string
  batchId: string
  fileName: string
  /** Stamped where the tool recorded no time, and on candidates (when they entered this project). */
  importedAt: string
}

export interface MaterialisedSample {
  id: string
  text: string
  externalId: string | null
  meta: Record<string, unknown>
  origin: Origin
  contentHash: string
}

export type Materialised =
  | { ok: true; sample: MaterialisedSample; candidates: CandidateRecord[]; decisions: UnsealedDecision[] }
  | { ok: false; reason: string }

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** A UUID (version 8: "custom") from the first 122 bits of a hash: stable for the same input. */
function uuidFromHash(hash: string, version = '8'): string {
  const variant = ((parseInt(hash[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${version}${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`
}

/** A decision id must be a UUIDv7: the tool's time (or 0 where unknown) in front, a content hash behind. */
function decisionId(atMs: number, hash: string): string {
  const time = Math.max(0, Math.min(atMs, 2 ** 48 - 1))
    .toString(16)
    .padStart(12, '0')
  return uuidFromHash(`${time}${hash.slice(12)}`, '7')
}

export function materialise(
  record: ToolRecord,
  place: ImportPlace,
  line: number,
  origin: Origin,
): Materialised {
  const { tool } = place
  const contentHash = sha256(
    canonicalJson({ tool, text: record.text, externalId: record.externalId, meta: record.meta }),
  )
  const sampleId = uuidFromHash(contentHash)
  const sample = {
    id: sampleId,
    text: record.text,
    externalId: record.externalId,
    meta: record.meta,
    origin,
    contentHash,
  }
  const from = (fields: Partial<ImportedFrom>): ImportedFrom => ({
    tool,
    fileName: place.fileName,
    batchId: place.batchId,
    line,
    recordId: null,
    annotator: null,
    at: null,
    model: null,
    ...fields,
  })

  const idByKey = new Map<string, string>()
  const candidates = record.candidates.map((candidate): CandidateRecord => {
    const id = uuidFromHash(sha256(canonicalJson([sampleId, candidate.key, candidate.text])))
    idByKey.set(candidate.key, id)
    return {
      id,
      sampleId,
      jobId: place.batchId,
      slot: candidate.key,
      status: 'complete',
      text: candidate.text,
      thinking: null,
      failure: null,
      provenance: {
        engine: 'import',
        host: null,
        model: candidate.model ?? 'unknown',
        modelDigest: null,
        engineVersion: null,
        templateId: '',
        templateHash: '',
        prompt: { mode: 'raw', text: record.text },
        sampling: { temperature: null, topP: null, topK: null, seed: null, maxTokens: null, stop: [] },
        logprobsTopK: null,
        think: false,
        attempt: 1,
        generationId: 0,
        imported: from({ recordId: candidate.key, model: candidate.model }),
      },
      timings: { firstTokenMs: null, totalMs: 0 },
      tokenCounts: { prompt: null, completion: null },
      doneReason: null,
      logprobs: null,
      logprobSummary: null,
      createdAt: place.importedAt,
    }
  })
  const shownOrder = candidates.map((candidate) => candidate.id)

  const decisions: UnsealedDecision[] = []
  for (const [index, d] of record.decisions.entries()) {
    const candidateId = d.candidateKey === null ? null : (idByKey.get(d.candidateKey) ?? null)
    const hash = sha256(canonicalJson([tool, sampleId, d.key, d.kind, d.candidateKey, d.editedText, d.note]))
    const parsed = unsealedDecision.safeParse({
      id: decisionId(d.at === null ? 0 : Date.parse(d.at), hash),
      projectId: place.projectId,
      sampleId,
      kind: d.kind,
      candidateId,
      editedText: d.editedText,
      // The word diff is left to the screens: computing it here would cost an import of edits minutes.
      diff: null,
      flag: null,
      note: d.note,
      undoes: null,
      // A chain of its own per tool and annotator: an imported "alice" never extends a local alice's chain.
      annotator: `${tool}:${d.annotator ?? 'unnamed'}`,
      at: d.at ?? place.importedAt,
      timeSpentMs: d.timeSpentMs,
      shownOrder,
      imported: from({ recordId: d.recordId, annotator: d.annotator, at: d.at }),
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return {
        ok: false,
        reason: `decision ${index + 1} cannot be recorded: ${issue?.path.join('.')} ${issue?.message}`,
      }
    }
    decisions.push(parsed.data)
  }
  return { ok: true, sample, candidates, decisions }
}
