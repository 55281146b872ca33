// One import of another tool's export: maps each record, keeps what the project does not have yet (samples
// by content hash, candidates and decisions by their derived ids), and hands the new candidates and the new
// decisions — sealed onto each imported annotator's chain — to the job's next append.
import type { CandidateRecord } from '@shared/domain/candidate'
import type { DecisionRecord } from '@shared/domain/decision'
import { chainKey, sealDecision } from '@shared/domain/decision-chain'
import type { OriginSpec } from '@shared/domain/import-spec'
import type { AnnotationTool } from '@shared/domain/import-source'
import type { ProjectRegistry, TypedInput } from '../../projects/project-registry'
import type { ProjectState } from '../../projects/project-state'
import { resolveOrigin, toJsonValue } from '../record-to-sample'
import { mapArgillaRecord } from './argilla'
import { mapLabelStudioTask } from './label-studio'
import { materialise, type ImportPlace, type MaterialisedSample } from './materialise'
import { mapProdigyTask } from './prodigy'
import { flattenForScreen } from './text-fields'
import type { ToolMapper } from './tool-record'

const mappers: Record<AnnotationTool, ToolMapper> = {
  prodigy: mapProdigyTask,
  'label-studio': mapLabelStudioTask,
  argilla: mapArgillaRecord,
}

export type ToolAdded =
  | { ok: false; reason: string }
  /** sample: null when the project already has it; isNew: whether anything at all was new. */
  | { ok: true; sample: MaterialisedSample | null; isNew: boolean; bytes: number }

const CANDIDATE_KIND: ReadonlySet<string> = new Set(['candidates.recorded'])

export class ToolImport {
  #candidates: CandidateRecord[] = []
  #decisions: DecisionRecord[] = []
  /** The hash each imported chain ends on after what this import has sealed (the state lags the appends). */
  readonly #tips = new Map<string, string>()
  readonly #decisionIds = new Set<string>()

  private constructor(
    private readonly state: ProjectState,
    private readonly place: ImportPlace,
    private readonly candidateIds: Set<string>,
  ) {}

  /** Reads which imported candidates the project has (they are few next to generated ones, and not in state). */
  static async open(registry: ProjectRegistry, place: ImportPlace): Promise<ToolImport> {
    const known = new Set<string>()
    for await (const event of registry.replayKinds(place.projectId, CANDIDATE_KIND)) {
      const candidates = (event.data as { candidates?: unknown } | null)?.candidates
      if (!Array.isArray(candidates)) continue
      for (const candidate of candidates as Partial<CandidateRecord>[])
        if (candidate.provenance?.engine === 'import' && typeof candidate.id === 'string')
          known.add(candidate.id)
    }
    return new ToolImport(await registry.state(place.projectId), place, known)
  }

  get hasPending(): boolean {
    return this.#candidates.length > 0 || this.#decisions.length > 0
  }

  add(
    fields: Record<string, unknown>,
    line: number,
    textField: string,
    origin: OriginSpec,
    hasSample: (contentHash: string) => boolean,
  ): ToolAdded {
    // A Parquet row may hold BigInt, Date or bytes; the mappers and the log see JSON values only.
    const record = toJsonValue(fields) as Record<string, unknown>
    const mapped = mappers[this.place.tool](record, textField)
    if (!mapped.ok) return mapped
    const sampleOrigin = resolveOrigin(flattenForScreen(this.place.tool, record), origin)
    const made = materialise(mapped.record, this.place, line, sampleOrigin)
    if (!made.ok) return made
    const isNewSample = !hasSample(made.sample.contentHash)
    let bytes = isNewSample ? made.sample.text.length : 0
    let isNew = isNewSample
    for (const candidate of made.candidates) {
      if (this.candidateIds.has(candidate.id)) continue
      this.candidateIds.add(candidate.id)
      this.#candidates.push(candidate)
      bytes += candidate.text.length + 600
      isNew = true
    }
    for (const unsealed of made.decisions) {
      if (this.state.decisionIds.has(unsealed.id) || this.#decisionIds.has(unsealed.id)) continue
      const key = chainKey(unsealed)
      const decision = sealDecision(unsealed, this.#tips.get(key) ?? this.state.chainTips.tipOf(unsealed))
      this.#tips.set(key, decision.hash)
      this.#decisionIds.add(decision.id)
      this.#decisions.push(decision)
      bytes += (decision.editedText?.length ?? 0) + (decision.note?.length ?? 0) + 600
      isNew = true
    }
    return { ok: true, sample: isNewSample ? made.sample : null, isNew, bytes }
  }

  /** The events for what was added since the last call, in the order they must reach the log. */
  drain(): TypedInput[] {
    const events: TypedInput[] = []
    if (this.#candidates.length > 0)
      events.push({ kind: 'candidates.recorded', data: { candidates: this.#candidates } })
    for (const decision of this.#decisions) events.push({ kind: 'decision.recorded', data: { decision } })
    this.#candidates = []
    this.#decisions = []
    return events
  }
}
