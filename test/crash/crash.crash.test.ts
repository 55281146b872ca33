// Crash durability (RELIABILITY.md R1): ≥ 100 kill points during a keyboard review session, half of them
// with a generation job streaming — 0 acknowledged decisions lost, 0 samples whose stored review state or
// decisions disagree with the log, every wipe detected and rebuilt. CRASH_SEED and CRASH_POINTS replay or
// shorten a run; the JSON line the bar asks for is printed last (summary-reporter.ts).
import { beforeAll, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
import { assertPrerequisites } from '../e2e/harness'
import { runCrashSession, seedFromEnv } from './crash-run'
import { summaryLine, summaryPath, writeSummary } from './summary'

const seed = seedFromEnv(20_260_401)
const killPoints = Number(process.env.CRASH_POINTS ?? 100)

describe('crash durability', () => {
  beforeAll(async () => {
    assertPrerequisites()
    await rm(summaryPath, { force: true })
  })

  it(`loses no acknowledged decision and leaves no half-applied one over ${killPoints} kill points`, async () => {
    console.info(`[crash] seed ${seed} (replay with CRASH_SEED=${seed}), ${killPoints} kill points`)
    const started = Date.now()
    const tally = await runCrashSession({ name: 'main', seed, killPoints })
    const line = summaryLine(tally)
    await writeSummary(line)
    console.info(
      `[crash] ${Math.round((Date.now() - started) / 1000)} s; by kind ${JSON.stringify(tally.byKind)}; ` +
        `${tally.withGeneration} with generation streaming; wipes observed ${tally.wipesObserved}, ` +
        `undetected ${tally.wipesUndetected}; ${tally.examples.join('; ') || 'no problems'}`,
    )
    console.log(line)
    expect(tally.killPoints).toBe(killPoints)
    expect(tally.acked).toBeGreaterThan(0)
    expect(tally.lost, tally.examples.join('\n')).toBe(0)
    expect(tally.mismatches, tally.examples.join('\n')).toBe(0)
    expect(tally.wipesDetected).toBe(tally.wipesRepaired)
    expect(tally.wipesUndetected).toBe(0)
    expect(tally.withGeneration).toBeGreaterThanOrEqual(Math.floor(killPoints / 2) - 5)
  }, 900_000)
})
