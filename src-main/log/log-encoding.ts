// Payloads the log writes in another form than the one they are held in: since candidates.recorded v4, a
// candidate's logprob columns are stored as blocks (src-shared/domain/stored-logprobs.ts), which
// readLogEvent decodes back into the same columns. Everything else is written as it is.
import { encodeLogprobs } from '@shared/domain/stored-logprobs'
import { isStoredAsRead, type LogEventKind } from '@shared/domain/log-events'
import type { CandidateRecord } from '@shared/domain/candidate'

const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

/** The stored form of an event's data, or undefined when it is written as it is. */
export function storedForm(kind: LogEventKind, data: unknown): unknown {
  if (isStoredAsRead(kind)) return undefined
  const { candidates } = data as { candidates: CandidateRecord[] }
  return {
    candidates: candidates.map((candidate) =>
      candidate.logprobs === null
        ? candidate
        : { ...candidate, logprobs: encodeLogprobs(candidate.logprobs, toBase64) },
    ),
  }
}
