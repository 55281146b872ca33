// The upgrade step of a schema version whose projection reads events the previous one skipped or stored
// differently: every project is marked for a rebuild from its log when next opened. Marking rather than
// clearing: a missing sentinel reads as "the store lost this project" (an alarming, wrong notice).
import type { Migration, SentinelRow } from './database'

export const rebuildEveryProject: NonNullable<Migration['upgrade']> = async (tx) => {
  await tx
    .table<SentinelRow, string>('sentinel')
    .toCollection()
    .modify((row) => {
      row.rebuildPending = 'schema-upgrade'
    })
}
