// Prints the crash run's JSON line after everything vitest prints, so it is the suite's last line of stdout.
import type { Reporter } from 'vitest/node'
import { rmSync } from 'node:fs'
import { readSummary, summaryPath } from './summary'

export default class CrashSummaryReporter implements Reporter {
  /** A line from an earlier run must not pass for this one's (say, when only the fault tests run). */
  onInit(): void {
    rmSync(summaryPath, { force: true })
  }

  async onTestRunEnd(): Promise<void> {
    const line = await readSummary()
    // A tick later than the default reporter's summary, which is written in this same hook.
    await new Promise((done) => setTimeout(done, 50))
    if (line !== null) process.stdout.write(`${line}\n`)
  }
}
