// Prints the crash run's JSON line after everything vitest prints, so it is the suite's last line of stdout.
import type { Reporter } from 'vitest/node'
import { readSummary } from './summary'

export default class CrashSummaryReporter implements Reporter {
  async onTestRunEnd(): Promise<void> {
    const line = await readSummary()
    // A tick later than the default reporter's summary, which is written in this same hook.
    await new Promise((done) => setTimeout(done, 50))
    if (line !== null) process.stdout.write(`${line}\n`)
  }
}
