// The harness must fail a build that acknowledges a decision before the project log has flushed it: the
// browser host started with WINNOW_FAULT=ack-before-flush (src-main/faults/ack-before-flush.ts) answers
// review.decide at once and appends 300 ms later. Same random kill mix as the real run, stopped as soon as an
// acknowledged decision is missing from the log after recovery.
import { beforeAll, describe, expect, it } from 'vitest'
import { assertPrerequisites } from '../e2e/harness'
import { runCrashSession, seedFromEnv } from './crash-run'
import { summaryLine } from './summary'

const maxPoints = 40

describe('the crash harness against a build that acknowledges before the log flush', () => {
  beforeAll(() => assertPrerequisites())

  it('finds acknowledged decisions lost', async () => {
    const seed = seedFromEnv(7_001)
    const tally = await runCrashSession({
      name: 'ack-before-flush',
      seed,
      killPoints: maxPoints,
      samples: 120,
      hostEnv: { WINNOW_FAULT: 'ack-before-flush' },
      stopWhen: (t) => t.lost > 0,
    })
    console.info(
      `[crash] fault ack-before-flush, seed ${seed}: ${summaryLine(tally)}; by kind ${JSON.stringify(tally.byKind)}; ` +
        `${tally.examples.slice(0, 3).join('; ')}`,
    )
    expect(tally.lost).toBeGreaterThan(0)
  }, 600_000)
})
