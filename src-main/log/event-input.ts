// Checks and serialises an append's input when append() is called: a bad event rejects only its own
// call, and the caller mutating `data` afterwards cannot change what gets written.
import type { LogEventInput } from './log-types'
import { uuidv7 } from '@shared/ids/uuidv7'

export interface PreparedEvent {
  id: string
  v: number
  kind: string
  at: string
  dataJson: string
  /**
   * The caller's own object, handed back in the appended event instead of a re-parse of `dataJson`
   * (re-parsing every candidate's logprobs cost more than writing them). Callers append JSON-clean data
   * (no undefined, Dates or Maps) and do not mutate it afterwards, so it equals what a replay reads.
   */
  data: unknown
}

export function prepareEvent(input: LogEventInput): PreparedEvent {
  if (typeof input.kind !== 'string' || input.kind === '') {
    throw new TypeError('event kind must be a non-empty string')
  }
  if (!Number.isInteger(input.v)) throw new TypeError(`event ${input.kind}: v must be an integer`)
  if (input.id !== undefined && (typeof input.id !== 'string' || input.id === '')) {
    throw new TypeError(`event ${input.kind}: id must be a non-empty string`)
  }
  if (input.at !== undefined && typeof input.at !== 'string') {
    throw new TypeError(`event ${input.kind}: at must be a string`)
  }
  const dataJson: unknown = JSON.stringify(input.stored === undefined ? input.data : input.stored)
  if (typeof dataJson !== 'string') throw new TypeError(`event ${input.kind}: data must be JSON-serialisable`)
  return {
    id: input.id ?? uuidv7(),
    v: input.v,
    kind: input.kind,
    at: input.at ?? new Date().toISOString(),
    dataJson,
    data: input.data,
  }
}
