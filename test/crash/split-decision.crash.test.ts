// The harness must fail a build that splits one decision over two IndexedDB transactions: the renderer
// compiled with VITE_WINNOW_FAULT=split-decision (src-renderer/db/faults/split-decision.ts) commits the
// decisions and the sentinel, then the review rows 100 ms later. Same random kill mix as the real run,
// stopped as soon as a sample's stored review state disagrees with its logged decisions after recovery.
import { beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { assertPrerequisites } from '../e2e/harness'
import { runCrashSession, seedFromEnv } from './crash-run'
import { summaryLine } from './summary'

const maxPoints = 40
const root = resolve(import.meta.dirname, '..', '..')
const faultRendererDir = resolve(root, 'out', 'renderer-fault-split')

describe('the crash harness against a build that splits a decision over two transactions', () => {
  beforeAll(async () => {
    assertPrerequisites()
    // Its own build, into its own folder: out/renderer (the real one) never carries the fault.
    await promisify(execFile)(
      process.execPath,
      [
        resolve(root, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '-c',
        'test/crash/fault-renderer.vite.config.ts',
      ],
      { cwd: root },
    )
  }, 120_000)

  it('finds samples whose review state disagrees with their decisions', async () => {
    const seed = seedFromEnv(7_002)
    const tally = await runCrashSession({
      name: 'split-decision',
      seed,
      killPoints: maxPoints,
      samples: 120,
      rendererDir: faultRendererDir,
      stopWhen: (t) => t.mismatches > 0,
    })
    console.info(
      `[crash] fault split-decision, seed ${seed}: ${summaryLine(tally)}; by kind ${JSON.stringify(tally.byKind)}; ` +
        `${tally.examples.slice(0, 3).join('; ')}`,
    )
    expect(tally.mismatches).toBeGreaterThan(0)
  }, 600_000)
})
