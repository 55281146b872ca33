// Words for a job's progress: "12.4 MiB of 80 MiB · read 10,000 · imported 9,870 · rejected 3".
import type { JobProgress } from '@shared/jobs/job'
import { formatBytes, formatCount } from '../../ui/format'

/** Counter names as the import job reports them, in the order people read them. */
const counterOrder = ['read', 'imported', 'duplicates', 'rejected']

export function describeAmount(progress: JobProgress): string {
  const format = progress.unit === 'bytes' ? formatBytes : formatCount
  const unit = progress.unit === 'bytes' ? '' : ` ${progress.unit}`
  return progress.total === null
    ? `${format(progress.done)}${unit}`
    : `${format(progress.done)} of ${format(progress.total)}${unit}`
}

export function describeCounts(counts: Record<string, number>): string {
  const names = Object.keys(counts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return names.map((name) => `${name} ${formatCount(counts[name] ?? 0)}`).join(' · ')
}

export function describeProgress(progress: JobProgress): string {
  const counts = describeCounts(progress.counts)
  return counts === '' ? describeAmount(progress) : `${describeAmount(progress)} · ${counts}`
}

function rank(name: string): number {
  const index = counterOrder.indexOf(name)
  return index === -1 ? counterOrder.length : index
}
