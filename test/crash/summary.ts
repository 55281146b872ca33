// The bar's last line: written by the crash test to a file, printed by the reporter after vitest's own summary.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

export const summaryPath = resolve(import.meta.dirname, '..', '..', '.tmp', 'crash-summary.json')

/** The bar's figures (crash-run.ts's Tally has these and more); kept apart so the reporter loads no DOM code. */
export interface BarFigures {
  killPoints: number
  acked: number
  lost: number
  mismatches: number
  wipesDetected: number
  wipesRepaired: number
}

export function summaryLine(tally: BarFigures): string {
  const { killPoints, acked, lost, mismatches, wipesDetected, wipesRepaired } = tally
  return JSON.stringify({ killPoints, acked, lost, mismatches, wipesDetected, wipesRepaired })
}

export async function writeSummary(line: string): Promise<void> {
  await mkdir(dirname(summaryPath), { recursive: true })
  await writeFile(summaryPath, `${line}\n`)
}

export async function readSummary(): Promise<string | null> {
  return readFile(summaryPath, 'utf8')
    .then((text) => text.trim())
    .catch(() => null)
}
