// Writes the collapse report into a folder the person chose: the JSON (the report object itself) and the
// standalone HTML, each written atomically under a new name — an existing file is never overwritten.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { sanitiseFileName } from '@shared/export/file-names'
import type { CollapseReport } from '@shared/monitor/collapse-report'
import { collapseReportHtml } from '@shared/monitor/report-html'
import { AppFailure } from '@shared/ipc/result'
import { writeFileAtomic } from '../../fs/atomic-write'

export interface WrittenReport {
  jsonPath: string
  htmlPath: string
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

async function freeStem(folder: string, stem: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? stem : `${stem} (${n})`
    const taken = await Promise.all(
      ['json', 'html'].map((ext) => exists(join(folder, `${candidate}.${ext}`))),
    )
    if (!taken.includes(true)) return candidate
  }
  throw new AppFailure(
    'conflict',
    `${folder} already holds a thousand reports named ${stem}: choose another folder.`,
  )
}

export async function writeReportFiles(
  folder: string,
  projectName: string,
  report: CollapseReport,
): Promise<WrittenReport> {
  const info = await stat(folder).catch(() => null)
  if (info === null || !info.isDirectory())
    throw new AppFailure('not-found', `There is no folder at ${folder}: choose an existing folder.`)
  const day = report.builtAt.slice(0, 10)
  const stem = await freeStem(folder, sanitiseFileName(`${projectName} collapse report ${day}`))
  const jsonPath = join(folder, `${stem}.json`)
  const htmlPath = join(folder, `${stem}.html`)
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  await writeFileAtomic(htmlPath, collapseReportHtml(report, projectName))
  return { jsonPath, htmlPath }
}
