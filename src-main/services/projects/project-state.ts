// What main needs to know about a project, folded from its log: name, settings, counts, the next sample
// position, import batches, the last known state of each job, and the content hashes already imported.
import { readLogEvent, trustedLogEvent, type LogEvent } from '@shared/domain/log-events'
import { defaultProjectSettings, type ProjectSettings } from '@shared/domain/project'
import type { ImportCounts, ImportProgressMark } from '@shared/domain/import-spec'
import type { JobSnapshot } from '@shared/jobs/job'
import { HashSet64 } from '../import/hash-set64'
import type { CandidateStatus } from '@shared/domain/candidate'
import { ChainTips } from '@shared/domain/decision-chain'
import type { DecisionRecord } from '@shared/domain/decision'

export const slotKey = (jobId: string, slot: string): string => `${jobId}|${slot}`

export interface BatchState {
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'
  counts: ImportCounts | null
  /** The furthest point whose samples are in the log: where a resumed import goes on. */
  through: ImportProgressMark | null
}

export class ProjectState {
  name = ''
  createdAt = ''
  settings: ProjectSettings = { ...defaultProjectSettings }
  sampleCount = 0
  nextOrd = 1
  eventCount = 0
  lastSeq = 0
  readonly batches = new Map<string, BatchState>()
  readonly jobs = new Map<string, JobSnapshot>()
  readonly hashes = new HashSet64()
  candidateCount = 0
  /** Per job and grid slot: the last recorded status and how many attempts it took (resume and retry). */
  readonly candidateSlots = new Map<string, { status: CandidateStatus; attempts: number }>()
  decisionCount = 0
  /** The last hash of each annotator's decision chain: what the next decision is sealed onto. */
  readonly chainTips = new ChainTips()
  /** Each sample's decisions in log order: to check an undo, and to answer a retried decision by id. */
  readonly decisionsBySample = new Map<string, DecisionRecord[]>()
  readonly decisionIds = new Set<string>()

  /** Folds one event; `isTrusted` for events this process just wrote from typed inputs (not re-parsed). */
  apply(raw: LogEvent, isTrusted = false): void {
    this.eventCount++
    this.lastSeq = raw.seq
    const event = isTrusted ? trustedLogEvent(raw) : readLogEvent(raw)
    if (!event) return
    switch (event.kind) {
      case 'project.created':
        this.name = event.data.name
        this.settings = event.data.settings
        this.createdAt = event.at
        break
      case 'project.renamed':
        this.name = event.data.name
        break
      case 'import.batchStarted':
        this.batches.set(event.data.batchId, {
          status: 'running',
          counts: null,
          through: this.batches.get(event.data.batchId)?.through ?? null,
        })
        break
      case 'samples.imported':
        for (const sample of event.data.samples) {
          this.hashes.add(sample.contentHash)
          this.nextOrd = Math.max(this.nextOrd, sample.ord + 1)
        }
        this.sampleCount += event.data.samples.length
        if (event.data.through) {
          const batch = this.batches.get(event.data.batchId)
          if (batch) batch.through = event.data.through
        }
        break
      case 'import.batchFinished':
        this.batches.set(event.data.batchId, {
          status: event.data.status,
          counts: event.data.counts,
          through: this.batches.get(event.data.batchId)?.through ?? null,
        })
        break
      case 'job.changed':
        this.jobs.set(event.data.job.id, event.data.job)
        break
      case 'candidates.recorded':
        for (const candidate of event.data.candidates) {
          const key = slotKey(candidate.jobId, candidate.slot)
          const attempts = (this.candidateSlots.get(key)?.attempts ?? 0) + 1
          this.candidateSlots.set(key, { status: candidate.status, attempts })
        }
        this.candidateCount += event.data.candidates.length
        break
      case 'decision.recorded': {
        const decision = event.data.decision
        this.chainTips.observe(decision)
        const list = this.decisionsBySample.get(decision.sampleId)
        if (list) list.push(decision)
        else this.decisionsBySample.set(decision.sampleId, [decision])
        this.decisionIds.add(decision.id)
        this.decisionCount++
        break
      }
    }
  }
}
